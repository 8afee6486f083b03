import { constantTimeEqual } from '../../crypto/constant-time.js'
import { hashToken } from '../../crypto/hash-token.js'
import { generateRandomToken } from '../../crypto/random.js'
import type { AuthSettings } from '../auth-options.js'
import type { NewSession, RequestContext, Session, User } from '../types.js'

/** A session as handed out: the row, and the `id.secret` token that only the client holds. */
export interface IssuedSession {
  readonly session: NewSession
  readonly token: string
}

const MAX_USER_AGENT = 512

/**
 * Lucia's session design: a public id (the JWT's `sid`) and a 256-bit secret; only SHA-256 of the
 * secret is stored, so a database leak yields no usable cookie.
 */
export function newSession(
  userId: string,
  settings: AuthSettings,
  ctx: RequestContext,
  now: Date,
): IssuedSession {
  const id = generateRandomToken(16) // 128 bits: unguessable, and not a credential on its own
  const secret = generateRandomToken(32)
  return {
    token: `${id}.${secret}`,
    session: {
      id,
      userId,
      secretHash: hashToken(secret),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + settings.sessionMaxAgeSeconds * 1000),
      ip: ctx.ip,
      userAgent: ctx.userAgent === null ? null : ctx.userAgent.slice(0, MAX_USER_AGENT),
    },
  }
}

/** Splits a cookie value; null when it is not shaped like one of ours. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  if (token.length > 200) return null
  const dot = token.indexOf('.')
  if (dot <= 0 || dot === token.length - 1) return null
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) }
}

export function isSessionSecretValid(session: Session, secret: string): boolean {
  return constantTimeEqual(hashToken(secret), session.secretHash)
}

export type SessionState = 'active' | 'revoked' | 'expired' | 'user_disabled'

/** Idle and absolute limits are both enforced here, on every request (ASVS V7.3). */
export function sessionState(
  session: Session,
  user: User,
  settings: AuthSettings,
  now: Date,
): SessionState {
  if (session.revokedAt !== null) return 'revoked'
  if (user.disabled) return 'user_disabled'
  if (session.expiresAt.getTime() <= now.getTime()) return 'expired'
  if (session.lastSeenAt.getTime() + settings.sessionIdleTimeoutSeconds * 1000 <= now.getTime())
    return 'expired'
  return 'active'
}

/** Writing last-seen on every request would make the hot path a write; once a minute is enough. */
export const TOUCH_INTERVAL_MS = 60_000
