import type { FastifyReply, FastifyRequest } from 'fastify'
import type { OAuthStart } from '../core/oauth/oauth-api.js'

/**
 * The sealed sign-in transaction (state, nonce, PKCE verifier, provider, next) between /start and
 * /callback (SEC-OIDC-01). `__Host-` keeps sibling subdomains from planting one; HttpOnly keeps
 * scripts out; SameSite=Lax is the strictest that still comes back on the provider's top-level
 * redirect to the callback (Strict would not).
 */
export const OAUTH_COOKIE = '__Host-latchkey_oauth'
const ATTRIBUTES = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const

export function setOAuthCookie(reply: FastifyReply, start: OAuthStart): void {
  const maxAge = Math.max(1, Math.floor((start.expiresAt.getTime() - Date.now()) / 1000))
  reply.setCookie(OAUTH_COOKIE, start.transaction, { ...ATTRIBUTES, maxAge })
}

export function readOAuthCookie(request: FastifyRequest): string | null {
  const value = request.cookies[OAUTH_COOKIE]
  return value === undefined || value === '' ? null : value
}

/** Every callback spends the transaction, whatever its outcome: it is never used twice. */
export function clearOAuthCookie(reply: FastifyReply): void {
  reply.setCookie(OAUTH_COOKIE, '', { ...ATTRIBUTES, maxAge: 0, expires: new Date(0) })
}
