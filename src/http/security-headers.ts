import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify'
import type { HttpSettings } from '../config/config.js'

/**
 * JSON needs nothing from a browser: no scripts, styles, frames or form targets. Pages that do
 * (API docs now, HTML pages later) register their own policy in their own context (SEC-HDR-01).
 */
export const JSON_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"

// One year, the floor for HSTS preload lists; sent only when the public URL is https, since a
// browser ignores it over http and it would pin localhost development to https otherwise.
const HSTS = 'max-age=31536000; includeSubDomains'

/**
 * An onSend hook, so it covers every answer of its context: routes, errors and 404s alike
 * (SEC-HDR-02). `Cache-Control: no-store` keeps tokens and user data out of shared and browser
 * caches; a route that may be cached (the JWKS) sets its own header first.
 */
export function securityHeaders(http: HttpSettings, csp: string = JSON_CSP): onSendHookHandler {
  return function addSecurityHeaders(
    _request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (err: null, payload: unknown) => void,
  ): void {
    applySecurityHeaders(reply, http, csp)
    done(null, payload)
  }
}

export function applySecurityHeaders(
  reply: FastifyReply,
  http: Pick<HttpSettings, 'https'>,
  csp: string = JSON_CSP,
): void {
  reply.header('content-security-policy', csp)
  reply.header('x-content-type-options', 'nosniff')
  reply.header('referrer-policy', 'no-referrer')
  reply.header('cross-origin-opener-policy', 'same-origin')
  reply.header('cross-origin-resource-policy', 'same-origin')
  reply.header('x-frame-options', 'DENY')
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
  if (http.https) reply.header('strict-transport-security', HSTS)
}
