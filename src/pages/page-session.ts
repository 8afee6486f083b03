import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Auth, Principal } from '../core/auth-api.js'
import { AuthError } from '../core/errors.js'
import { clearSessionCookie, SESSION_COOKIE } from '../http/cookies.js'
import { principalOf } from '../http/guards.js'
import { setFlash } from './flash.js'
import { safeNextPath, withNext } from './next-path.js'

function isDeadSession(error: unknown): boolean {
  return (
    error instanceof AuthError &&
    (error.code === 'not_authenticated' ||
      error.code === 'session_revoked' ||
      error.code === 'token_expired')
  )
}

type Outcome =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'signed-in'; readonly principal: Principal }
  /** A cookie that no longer opens a session: revoked, expired, or the account disabled. */
  | { readonly kind: 'ended' }

/**
 * Checks the session cookie through core on every page view, the same check as the API, so a
 * session revoked by an admin is refused at the very next click. Only the cookie counts here:
 * a browser never sends a bearer token with a page.
 */
async function resolveSession(auth: Auth, request: FastifyRequest): Promise<Outcome> {
  const token = request.cookies[SESSION_COOKIE]
  if (token === undefined || token === '') return { kind: 'anonymous' }
  try {
    return { kind: 'signed-in', principal: await auth.authenticate({ kind: 'cookie', token }) }
  } catch (error) {
    if (isDeadSession(error)) return { kind: 'ended' }
    throw error
  }
}

/** `/login?next=...` for a page that needs a session. */
export function loginURL(next: string): string {
  return withNext('/login', next)
}

function redirectToLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  ended: boolean,
): FastifyReply {
  if (ended) {
    // The dead cookie is dropped so the browser stops sending it.
    clearSessionCookie(reply)
    setFlash(reply, 'session-ended')
  }
  // A page comes back after signing in; a form post is not replayed, so it leads home instead.
  const next = request.method === 'GET' ? safeNextPath(request.url) : '/'
  return reply.redirect(loginURL(next), 303)
}

/** For pages anyone may see: sets `request.principal` when a live session is present. */
export function loadSession(auth: Auth): preHandlerAsyncHookHandler {
  return async function loadPageSession(request, reply) {
    const outcome = await resolveSession(auth, request)
    if (outcome.kind === 'signed-in') request.principal = outcome.principal
    else if (outcome.kind === 'ended') clearSessionCookie(reply)
  }
}

/** For pages that need a session: without one, off to the login page (with a flash if it ended). */
export function requireSession(auth: Auth): preHandlerAsyncHookHandler {
  return async function requirePageSession(request, reply) {
    const outcome = await resolveSession(auth, request)
    if (outcome.kind === 'signed-in') {
      request.principal = outcome.principal
      return
    }
    // Returning the reply tells Fastify it has been sent; the route handler does not run.
    return redirectToLogin(request, reply, outcome.kind === 'ended')
  }
}

/** Placed after `requireSession`; core checks the role again on every admin call (SEC-AUTHZ-01). */
export const requireAdmin: preHandlerAsyncHookHandler = async function requireAdmin(request) {
  if (principalOf(request).user.role !== 'admin') {
    throw new AuthError('forbidden', { detail: 'This page is for administrators.' })
  }
}
