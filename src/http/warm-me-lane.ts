import type { IncomingMessage, ServerResponse } from 'node:http'
import { fastifyCookie } from '@fastify/cookie'
import type { HttpSettings } from '../config/config.js'
import type { Auth, Credential } from '../core/auth-api.js'
import { SESSION_COOKIE } from './cookies.js'
import { bearerToken } from './credentials.js'
import { securityHeaderPairs } from './security-headers.js'
import { encodeUserText, JSON_TYPE } from './serializers.js'
import { newRequestId } from './server-headers.js'

export interface WarmMeLaneOptions {
  readonly auth: Auth
  readonly http: HttpSettings
  /** True once the server has begun closing: Fastify then adds `Connection: close`. */
  readonly draining: () => boolean
  /** True while Fastify would write its two request log lines (LOG_LEVEL info and below). */
  readonly logsRequests: () => boolean
  /** True when the https redirect hook is registered (https PUBLIC_URL behind TRUST_PROXY). */
  readonly redirectsToHttps: boolean
}

/** Answers a request itself (true) or leaves it untouched for Fastify (false). */
export interface WarmMeLane {
  (request: IncomingMessage, response: ServerResponse): boolean
  /** How many requests it has answered. */
  answered(): number
}

/**
 * `GET /auth/me` for a caller whose token or session is already in the caches, answered before
 * Fastify's router: the session check a reverse proxy makes in front of every request of the app
 * (nginx `auth_request`, Traefik ForwardAuth), and the route the throughput target is on.
 * Fastify's pipeline (routing, four hooks, the reply's header object) costs about as much as the
 * check itself; this lane answers the same bytes without it.
 *
 * It answers only what needs nothing the pipeline would add. Everything else goes to Fastify
 * untouched, where the route answers as before: another method or path (a query string too), a
 * body, an `Origin` (CORS), an `X-Forwarded-Proto` when the https redirect is on, a server that is
 * closing, request logging switched on, a token or session not warm in the caches (so every
 * refusal, 401 and cookie clearing included, is the route's). Authentication is
 * `auth.authenticateWarm`, the same call the route's hook makes first, so revocation is as
 * immediate here as there. The headers come from the same lists as the pipeline's
 * (security-headers.ts, server-headers.ts, cors.ts's Vary) and the body from the same cached
 * text as the route's; test/http/warm-me-lane.test.ts compares the two answers header by header.
 */
export function warmMeLane(opts: WarmMeLaneOptions): WarmMeLane {
  const { auth, http } = opts
  // The Vary that the CORS hook adds to every answer when origins are configured, and the
  // security headers: built once, flat as writeHead takes them.
  const vary = http.corsOrigins.length > 0
  const security = securityHeaderPairs(http).flat()
  let answered = 0

  function answerWarmMe(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET' || request.url !== '/auth/me') return false
    const headers = request.headers
    if (
      headers.origin !== undefined ||
      headers['content-length'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      (opts.redirectsToHttps && headers['x-forwarded-proto'] !== undefined) ||
      opts.draining() ||
      opts.logsRequests()
    ) {
      return false
    }
    const credential = readCredential(headers.authorization, headers.cookie)
    if (credential === null) return false
    const principal = auth.authenticateWarm(credential)
    if (principal === null) return false
    const body = encodeUserText(principal.user)
    // Fastify's order: the Vary from onRequest, the type from the handler, the server's onSend
    // hook, the API's, and the length last.
    const out = vary
      ? ['vary', 'Origin', 'content-type', JSON_TYPE, 'x-request-id', newRequestId()]
      : ['content-type', JSON_TYPE, 'x-request-id', newRequestId()]
    for (const item of security) out.push(item)
    out.push('content-length', String(Buffer.byteLength(body)))
    response.writeHead(200, out)
    response.end(body)
    answered += 1
    return true
  }
  return Object.assign(answerWarmMe, { answered: () => answered })
}

/** The route's `readCredential` over raw headers: a bearer token wins over the cookie. */
function readCredential(
  authorization: string | undefined,
  cookieHeader: string | undefined,
): Credential | null {
  const bearer = bearerToken(authorization)
  if (bearer !== null) return { kind: 'bearer', token: bearer }
  if (cookieHeader === undefined) return null
  // @fastify/cookie's own parser, which the route's request.cookies comes from. The plugin loads
  // it while registering, and the lane exists only once the app is ready.
  const cookie = fastifyCookie.parse(cookieHeader)[SESSION_COOKIE]
  if (typeof cookie === 'string' && cookie.length > 0) return { kind: 'cookie', token: cookie }
  return null
}
