import type { IssuedTokens } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { hashToken } from '../../crypto/hash-token.js'
import { issueAccessToken } from '../tokens/access-token.js'
import { generateRefreshToken } from '../tokens/refresh-token.js'
import type { AuditEventType, RequestContext, Session, User } from '../types.js'
import { applySessionPolicy } from './session-policy.js'
import { newSession } from './session.js'

function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b
}

/** Signs an access token for a live session; never valid past the session's absolute end. */
export function signAccessToken(
  ctx: CoreContext,
  session: Session,
  now: Date,
): { accessToken: string; expiresIn: number } {
  const expiresAt = minDate(
    new Date(now.getTime() + ctx.settings.accessTokenTtlSeconds * 1000),
    session.expiresAt,
  )
  const accessToken = issueAccessToken(
    ctx.keys,
    { issuer: ctx.settings.issuer, audience: ctx.settings.audience },
    { userId: session.userId, sessionId: session.id },
    now,
    expiresAt,
  )
  return {
    accessToken,
    expiresIn: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  }
}

/**
 * A fresh session (never a promoted pre-login one: SEC-SESS-03) with its refresh token, after the
 * session policy has ended the sessions it replaces, all in one transaction with their events.
 */
export async function startSession(
  ctx: CoreContext,
  user: User,
  req: RequestContext,
  event: AuditEventType,
  eventData: Record<string, string | number | boolean | null> = {},
): Promise<IssuedTokens> {
  const now = ctx.clock.now()
  const issued = newSession(user.id, ctx.settings, req, now)
  const refreshToken = generateRefreshToken()
  const session = await ctx.audit.transaction(req, async (tx, record) => {
    const evicted = await applySessionPolicy(tx, ctx.settings.sessionPolicy, user.id, now)
    const created = await tx.sessions.create(issued.session)
    await tx.refreshTokens.issue({
      tokenHash: hashToken(refreshToken),
      sessionId: created.id,
      createdAt: now,
      expiresAt: minDate(
        new Date(now.getTime() + ctx.settings.refreshTokenTtlSeconds * 1000),
        created.expiresAt,
      ),
    })
    for (const sessionId of evicted) {
      await record({
        type: 'session.revoked',
        userId: user.id,
        sessionId,
        data: { reason: 'session_policy' },
      })
    }
    await record({ type: event, userId: user.id, sessionId: created.id, data: eventData })
    return created
  })
  const { accessToken, expiresIn } = signAccessToken(ctx, session, now)
  return {
    accessToken,
    tokenType: 'bearer',
    expiresIn,
    refreshToken,
    sessionToken: issued.token,
    sessionExpiresAt: session.expiresAt,
    session,
    user,
  }
}
