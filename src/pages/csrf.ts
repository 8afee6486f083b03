// Anti-CSRF for the HTML forms (SEC-CSRF-01, SEC-CSRF-03): two independent checks.
//
// 1. Origin: a form post must come from this site's own origin (the Origin header, or
//    Sec-Fetch-Site when a browser sends no Origin). Stops a foreign page outright.
// 2. A token in every form: HMAC-SHA256 keyed by a secret only the user's browser holds in an
//    HttpOnly `__Host-` cookie. Signed in, that secret is the session token itself, so the
//    token is per session and dies with it. Anonymous (login, register) it is a random
//    pre-session cookie. A forger can read neither cookie, and `__Host-` stops a sibling
//    subdomain from planting one (the attack that breaks naive double-submit cookies). The token
//    is stateless and needs no server key, so it survives restarts and works on every node.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify'
import type { HttpSettings } from '../config/config.js'
import { AuthError } from '../core/errors.js'
import { SESSION_COOKIE } from '../http/cookies.js'
import { CSRF_FIELD } from '../views/components/form.js'

const PRE_SESSION_COOKIE = '__Host-latchkey_csrf'
const ATTRIBUTES = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const
const LABEL = 'latchkey/pages/csrf/v1'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The pre-session secret chosen during this request, before the browser has it. */
const issued = new WeakMap<FastifyRequest, string>()

function tokenFor(secret: string): string {
  return createHmac('sha256', secret).update(LABEL).digest('base64url')
}

function csrfFailed(): AuthError {
  return new AuthError('csrf_failed', { detail: 'The form could not be verified.' })
}

/** The pre-session secret, set as a cookie on this reply when the browser has none yet. */
function preSessionSecret(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[PRE_SESSION_COOKIE] ?? issued.get(request)
  if (existing !== undefined && existing.length >= 32) return existing
  const secret = randomBytes(32).toString('base64url')
  issued.set(request, secret)
  // No Max-Age: it grants nothing, it only has to outlive the form on screen.
  reply.setCookie(PRE_SESSION_COOKIE, secret, ATTRIBUTES)
  return secret
}

/**
 * The token for this request's forms: bound to the session when `request.principal` is set
 * (authenticated by the caller), else to the pre-session cookie.
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  const session = request.principal === null ? undefined : request.cookies[SESSION_COOKIE]
  return tokenFor(session ?? preSessionSecret(request, reply))
}

function matches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

function givenToken(request: FastifyRequest): unknown {
  const body = request.body
  if (typeof body !== 'object' || body === null) return undefined
  return Reflect.get(body, CSRF_FIELD)
}

/** preHandler for forms of signed-in users; place it after the page session check. */
export const verifySessionForm: preHandlerAsyncHookHandler = async function verifySessionForm(
  request,
) {
  const session = request.cookies[SESSION_COOKIE]
  if (request.principal === null || session === undefined) throw csrfFailed()
  if (!matches(tokenFor(session), givenToken(request))) throw csrfFailed()
}

/** preHandler for the anonymous forms (login, register): bound to the pre-session cookie. */
export const verifyAnonymousForm: preHandlerAsyncHookHandler = async function verifyAnonymousForm(
  request,
) {
  const secret = request.cookies[PRE_SESSION_COOKIE]
  if (secret === undefined || !matches(tokenFor(secret), givenToken(request))) throw csrfFailed()
}

/**
 * onRequest hook for every page route: an unsafe request must come from our own origin. Only the
 * public URL's origin counts; the JSON API's CORS origins may call the API, not post our forms.
 * With neither header (old browsers, curl) the token check alone decides.
 */
export function checkFormOrigin(http: HttpSettings): onRequestAsyncHookHandler {
  const self = new URL(http.publicUrl).origin
  return async function checkOrigin(request) {
    if (SAFE_METHODS.has(request.method)) return
    const origin = request.headers.origin
    // `Origin: null` (sandboxed frames, privacy redirects) is never our origin.
    if (origin !== undefined) {
      if (origin !== self) throw csrfFailed()
      return
    }
    const site = request.headers['sec-fetch-site']
    if (site !== undefined && site !== 'same-origin') throw csrfFailed()
  }
}
