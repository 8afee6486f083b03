import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import { AuthError } from '../core/errors.js'
import { readCredential } from './credentials.js'
import { trustedOrigins } from './origins.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function csrfFailed(): AuthError {
  return new AuthError('csrf_failed', {
    detail:
      'Cross-site request refused: send it from an allowed origin, as application/json or with an X-Requested-With header.',
  })
}

/** True when the browser may have sent it cross-site: a foreign Origin or Sec-Fetch-Site. */
function isFromUntrustedSite(request: FastifyRequest, trusted: ReadonlySet<string>): boolean {
  const origin = request.headers.origin
  // `Origin: null` (sandboxed frames, some redirects) is not any trusted origin.
  if (origin !== undefined) return !trusted.has(origin)
  const site = request.headers['sec-fetch-site']
  return site === 'cross-site' || site === 'same-site'
}

/**
 * A cross-site page can only send "simple" requests without a CORS preflight: no custom header
 * and a form-like content type. So a request that has an application/json body or an
 * X-Requested-With header was either same-origin or passed a preflight we did not grant.
 */
function needsPreflight(request: FastifyRequest): boolean {
  const type = request.headers['content-type']
  const essence = type?.split(';', 1)[0]?.trim().toLowerCase()
  const requestedWith = request.headers['x-requested-with']
  return (
    essence === 'application/json' || (typeof requestedWith === 'string' && requestedWith !== '')
  )
}

/**
 * CSRF for the JSON API (SEC-CSRF-02, SEC-CSRF-03). Bearer requests are exempt: a browser never
 * attaches that header on its own. Every other unsafe request (cookie-authenticated, or not yet
 * authenticated such as login) is refused when it comes from an untrusted origin; a cookie
 * request must in addition be one that needs a preflight. SameSite=Lax already keeps the cookie
 * off cross-site posts; this also covers same-site sibling origins and older browsers.
 */
// A callback hook, not an async one: it runs on every request of the API and needs no promise.
export function csrfGuard(http: HttpSettings): onRequestHookHandler {
  const trusted = trustedOrigins(http)
  return function checkCSRF(request, _reply, done) {
    if (SAFE_METHODS.has(request.method)) return done()
    const credential = readCredential(request)
    if (credential?.kind === 'bearer') return done()
    if (isFromUntrustedSite(request, trusted)) return done(csrfFailed())
    if (credential?.kind === 'cookie' && !needsPreflight(request)) return done(csrfFailed())
    done()
  }
}
