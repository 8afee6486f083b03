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
  const pairs = securityHeaderPairs(http, csp)
  return function addSecurityHeaders(
    _request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (err: null, payload: unknown) => void,
  ): void {
    setSecurityHeaders(reply, pairs)
    done(null, payload)
  }
}

export function applySecurityHeaders(
  reply: FastifyReply,
  http: Pick<HttpSettings, 'https'>,
  csp: string = JSON_CSP,
): void {
  setSecurityHeaders(reply, securityHeaderPairs(http, csp))
}

/** Sets `pairs` on the reply, keeping a Cache-Control the route chose. */
export function setSecurityHeaders(reply: FastifyReply, pairs: readonly SecurityHeader[]): void {
  for (const [name, value] of pairs) {
    if (name === 'cache-control' && reply.hasHeader(name)) continue
    reply.header(name, value)
  }
}

export type SecurityHeader = readonly [name: string, value: string]

/**
 * The security headers in the order they are sent. The warm /auth/me lane (warm-me-lane.ts)
 * writes the same list, so both paths answer with the same headers.
 */
export function securityHeaderPairs(
  http: Pick<HttpSettings, 'https'>,
  csp: string = JSON_CSP,
): readonly SecurityHeader[] {
  const pairs: SecurityHeader[] = [
    ['content-security-policy', csp],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['x-frame-options', 'DENY'],
    ['cache-control', 'no-store'],
  ]
  if (http.https) pairs.push(['strict-transport-security', HSTS])
  return Object.freeze(pairs)
}
