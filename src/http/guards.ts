import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Auth, Principal } from '../core/auth-api.js'
import { AuthError } from '../core/errors.js'
import type { RequestContext, Role } from '../core/types.js'
import { clearSessionCookie } from './cookies.js'
import { readCredential } from './credentials.js'
import { sendProblem } from './problem.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireUser`; null on routes that do not require it. */
    principal: Principal | null
  }
}

/**
 * Usable as an onRequest, preValidation or preHandler hook, in any context: a refusal is sent
 * as a problem right away (not thrown), so it does not depend on the host app's error handler.
 */
export type RequestHook = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>

/** The same, as a callback hook: it needs no promise when it can answer at once. */
export type CallbackRequestHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
) => void

const USER_AGENT_MAX_LENGTH = 512

/** Who is asking, for core's audit events. The address is Fastify's (TRUST_PROXY decides). */
export function requestContext(request: FastifyRequest): RequestContext {
  // Header values are Latin-1 strings in Node, so slicing cannot split a surrogate pair.
  const userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX_LENGTH) ?? null
  return { ip: request.ip, userAgent }
}

/**
 * `requestContext` with a signal that aborts if the connection closes before the answer has been
 * written: a login still waiting for a hash thread is then dropped instead of hashed for no one
 * (a client that timed out, a load generator that stopped). Only the routes that check a
 * password take it; the controller and the listener are work the other routes need not do.
 */
export function abandonableRequestContext(
  request: FastifyRequest,
  reply: FastifyReply,
): RequestContext {
  const controller = new AbortController()
  const response = reply.raw
  // 'close' also follows a completed answer; only an unfinished one means the client left.
  response.once('close', () => {
    if (!response.writableFinished) controller.abort()
  })
  return { ...requestContext(request), signal: controller.signal }
}

function notAuthenticated(): AuthError {
  return new AuthError('not_authenticated', { detail: 'Sign in to continue.' })
}

function isDeadSession(error: unknown): boolean {
  return (
    error instanceof AuthError &&
    (error.code === 'not_authenticated' || error.code === 'session_revoked')
  )
}

/**
 * A hook that authenticates the bearer token or session cookie through core (which checks the
 * session on every request, so revocation is immediate) and sets `request.principal`. Used as
 * onRequest, an unauthenticated caller gets 401 before its body is even read.
 *
 * A callback hook, not an async one: on the warm path (`auth.authenticateWarm`) it answers
 * without creating a promise, which on a session check is a measurable share of the work.
 *
 * @example
 * ```ts
 * app.get('/private', { onRequest: requireUser(auth) }, async (request) => principalOf(request).user.id)
 * ```
 */
export function requireUser(auth: Auth): CallbackRequestHook {
  return function authenticateRequest(request, reply, done) {
    const credential = readCredential(request)
    if (credential === null) {
      sendProblem(reply, notAuthenticated())
      return
    }
    const warm = auth.authenticateWarm(credential)
    if (warm !== null) {
      request.principal = warm
      done()
      return
    }
    auth.authenticate(credential).then(
      (principal) => {
        request.principal = principal
        done()
      },
      (error: unknown) => {
        // A store that does not answer is a 500 for the error handler, never a 401.
        if (!(error instanceof AuthError)) {
          done(error instanceof Error ? error : new Error(String(error)))
          return
        }
        // A dead cookie is dropped so the browser stops sending it.
        if (credential.kind === 'cookie' && isDeadSession(error)) clearSessionCookie(reply)
        sendProblem(reply, error)
      },
    )
  }
}

/** A hook placed after `requireUser`: 403 unless the caller has `role` (SEC-AUTHZ-01). */
export function requireRole(role: Role): RequestHook {
  return async function checkRole(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal
    if (principal === null || principal === undefined) {
      return sendProblem(reply, notAuthenticated())
    }
    if (principal.user.role !== role) {
      return sendProblem(
        reply,
        new AuthError('forbidden', { detail: 'You are not allowed to do this.' }),
      )
    }
    return undefined
  }
}

/** The principal `requireUser` attached; throws 401 if the route forgot to require it. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal
  if (principal === null || principal === undefined) throw notAuthenticated()
  return principal
}
