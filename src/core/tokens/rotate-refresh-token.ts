import { hashToken } from '../../crypto/hash-token.js'
import type { IssuedTokens } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import { sessionState } from '../sessions/session.js'
import { signAccessToken } from '../sessions/start-session.js'
import type { RequestContext } from '../types.js'
import { deriveSuccessorToken } from './refresh-token.js'

function invalidRefreshToken(): AuthError {
  return new AuthError('invalid_refresh_token', {
    detail: 'The refresh token is not valid; sign in again.',
  })
}

/**
 * Rotation with a grace window (RFC 9700 §4.14.2): the first presentation spends the token and
 * stores its successor; presentations inside REFRESH_REUSE_GRACE get that same successor; a later
 * one is treated as theft and ends the whole session, cookie and JWTs included (SEC-RT-02).
 */
export async function rotateRefreshToken(
  ctx: CoreContext,
  presented: string,
  req: RequestContext,
): Promise<IssuedTokens> {
  if (presented.length === 0 || presented.length > 200) throw invalidRefreshToken()
  const now = ctx.clock.now()
  const presentedHash = hashToken(presented)
  const record = await ctx.store.refreshTokens.findByHash(presentedHash)
  if (record === null) throw invalidRefreshToken()
  const found = await ctx.store.sessions.findWithUser(record.sessionId)
  if (found === null || sessionState(found.session, found.user, ctx.settings, now) !== 'active') {
    throw invalidRefreshToken()
  }
  const { session, user } = found
  const successor = deriveSuccessorToken(ctx.rotationKey, presented)
  const idleEnd = now.getTime() + ctx.settings.refreshTokenTtlSeconds * 1000
  const result = await ctx.audit.transaction(req, async (tx, record) => {
    const outcome = await tx.refreshTokens.consume({
      presentedHash,
      successor: {
        tokenHash: hashToken(successor),
        createdAt: now,
        expiresAt: new Date(Math.min(idleEnd, session.expiresAt.getTime())),
      },
      now,
      graceSeconds: ctx.settings.refreshReuseGraceSeconds,
    })
    if (outcome?.kind === 'rotated') {
      await tx.sessions.touch(session.id, now)
      await record({ type: 'token.refreshed', userId: user.id, sessionId: session.id })
    }
    return outcome
  })
  if (result === null || result.kind === 'expired') throw invalidRefreshToken()
  if (result.kind === 'reused') {
    await ctx.audit.transaction(req, async (tx, record) => {
      await record({ type: 'token.reuse_detected', userId: user.id, sessionId: session.id })
      if (await tx.sessions.revoke(session.id, 'refresh_reuse', now)) {
        await record({
          type: 'session.revoked',
          userId: user.id,
          sessionId: session.id,
          data: { reason: 'refresh_reuse' },
        })
      }
    })
    ctx.logger.warn(
      { userId: user.id, sessionId: session.id },
      'refresh token reuse: session revoked',
    )
    throw invalidRefreshToken()
  }
  const { accessToken, expiresIn } = signAccessToken(ctx, session, now)
  return {
    accessToken,
    tokenType: 'bearer',
    expiresIn,
    refreshToken: successor,
    sessionToken: null,
    sessionExpiresAt: session.expiresAt,
    session,
    user,
  }
}
