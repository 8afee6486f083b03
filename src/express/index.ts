// `latchkey/express`: guards for Express 4/5 apps. Only types come from express, so the package
// does not pull it in; the app brings its own.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Auth, Principal } from '../core/auth-api.js'
import { AuthError, isAuthError } from '../core/errors.js'
import type { Role, User } from '../core/types.js'
import { problemOf } from '../http/problem.js'
import {
  SESSION_COOKIE_NAME,
  isCrossSiteCookieRequest,
  readRequestCredential,
  type HeaderReader,
} from '../verify/request-credential.js'

export { createLatchkeyAPIHandler, type LatchkeyAPIHandler } from './api-router.js'
export type { Principal } from '../core/auth-api.js'
export type { Role, User } from '../core/types.js'

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `requireUser`: the live session and its user. */
    principal?: Principal
    /** `principal.user`, for code that expects `req.user`. */
    user?: User
  }
}

export interface ExpressGuardOptions {
  /** Origins (besides Latchkey's own) whose cookie-authenticated unsafe requests are accepted. */
  readonly trustedOrigins?: readonly string[]
}

function sendProblem(res: Response, error: AuthError): void {
  const problem = problemOf(error)
  if (problem.status === 401) res.setHeader('www-authenticate', 'Bearer')
  res.setHeader('cache-control', 'no-store')
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem))
}

function headerReader(req: Request): HeaderReader {
  return (name) => {
    const value = req.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }
}

/**
 * Authenticates the bearer token or Latchkey session cookie on every request (the session is
 * looked up, so revocation is immediate) and sets `req.principal` and `req.user`; otherwise
 * answers 401 problem+json. Cookie-authenticated unsafe requests must pass the same CSRF check
 * as Latchkey's own API (trusted Origin and a JSON body or X-Requested-With).
 *
 * @example
 * ```ts
 * app.get('/private', requireUser(auth), (req, res) => res.json({ id: req.user?.id }))
 * app.get('/admin', requireUser(auth), requireRole('admin'), handler)
 * ```
 */
export function requireUser(auth: Auth, options: ExpressGuardOptions = {}): RequestHandler {
  const trusted = new Set([new URL(auth.settings.issuer).origin, ...(options.trustedOrigins ?? [])])
  return function latchkeyRequireUser(req: Request, res: Response, next: NextFunction): void {
    const header = headerReader(req)
    const credential = readRequestCredential(header)
    if (credential === null) {
      sendProblem(res, new AuthError('not_authenticated', { detail: 'Sign in to continue.' }))
      return
    }
    if (isCrossSiteCookieRequest(req.method, credential, header, trusted)) {
      sendProblem(res, new AuthError('csrf_failed', { detail: 'Cross-site request refused.' }))
      return
    }
    // The warm path first (no promise when the caches can vouch at once), as in latchkey/fastify.
    const warm = auth.authenticateWarm(credential)
    if (warm !== null) {
      req.principal = warm
      req.user = warm.user
      next()
      return
    }
    auth.authenticate(credential).then(
      (principal) => {
        req.principal = principal
        req.user = principal.user
        next()
      },
      (error: unknown) => {
        // A store that does not answer goes to Express's error handler (500), never a 401.
        if (!isAuthError(error)) return next(error)
        if (credential.kind === 'cookie') {
          // A dead cookie is dropped so the browser stops sending it.
          res.setHeader(
            'set-cookie',
            `${SESSION_COOKIE_NAME}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`,
          )
        }
        sendProblem(res, error)
      },
    )
  }
}

/** Placed after `requireUser`: 403 unless the caller has `role` (401 if nobody is signed in). */
export function requireRole(role: Role): RequestHandler {
  return function latchkeyRequireRole(req: Request, res: Response, next: NextFunction): void {
    const principal = req.principal
    if (principal === undefined) {
      sendProblem(res, new AuthError('not_authenticated', { detail: 'Sign in to continue.' }))
      return
    }
    if (principal.user.role !== role) {
      sendProblem(res, new AuthError('forbidden', { detail: 'You are not allowed to do this.' }))
      return
    }
    next()
  }
}
