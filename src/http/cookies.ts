import type { FastifyReply } from 'fastify'
import type { IssuedTokens } from '../core/auth-api.js'

/**
 * `__Host-` makes the browser insist on Secure, Path=/ and no Domain, so a sibling subdomain
 * cannot plant or overwrite it (SEC-SESS-02). Browsers accept Secure cookies from
 * http://localhost, so development works unchanged.
 */
export const SESSION_COOKIE = '__Host-latchkey_session'

const ATTRIBUTES = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const

/**
 * Sets the cookie of a new session until its absolute end, so it never outlives the session.
 * Refreshed tokens carry no session token: the cookie of that session stays as it is.
 */
export function setSessionCookie(reply: FastifyReply, tokens: IssuedTokens): void {
  if (tokens.sessionToken === null) return
  // Max-Age is relative to the browser's clock, so it is measured against real time.
  const maxAge = Math.max(0, Math.floor((tokens.sessionExpiresAt.getTime() - Date.now()) / 1000))
  reply.setCookie(SESSION_COOKIE, tokens.sessionToken, { ...ATTRIBUTES, maxAge })
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.setCookie(SESSION_COOKIE, '', { ...ATTRIBUTES, maxAge: 0, expires: new Date(0) })
}
