import type { Credential, Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import { verifyAccessTokenCached } from '../tokens/verified-token-cache.js'
import {
  isSessionSecretValid,
  parseSessionToken,
  sessionState,
  TOUCH_INTERVAL_MS,
} from './session.js'
import { findSessionWithUser } from './session-cache.js'

function notAuthenticated(): AuthError {
  return new AuthError('not_authenticated', { detail: 'Sign in to continue.' })
}

/**
 * The check every protected request passes. A JWT alone is never enough: its session is looked
 * up on every request, so logout, revocation and disabling take effect at once even while the
 * token has not expired (SEC-JWT-04). One indexed lookup (session joined to user).
 */
export async function authenticateCredential(
  ctx: CoreContext,
  credential: Credential,
): Promise<Principal> {
  const now = ctx.clock.now()
  let sessionId: string
  let userId: string | null = null
  let secret: string | null = null
  if (credential.kind === 'bearer') {
    const verdict = verifyAccessTokenCached(
      ctx.keys,
      { issuer: ctx.settings.issuer, audience: ctx.settings.audience },
      credential.token,
      now,
    )
    if (!verdict.ok) {
      if (verdict.reason === 'expired')
        throw new AuthError('token_expired', {
          detail: 'The access token has expired; refresh it.',
        })
      throw notAuthenticated()
    }
    sessionId = verdict.claims.sid
    userId = verdict.claims.sub
  } else {
    const parsed = parseSessionToken(credential.token)
    if (parsed === null) throw notAuthenticated()
    sessionId = parsed.id
    secret = parsed.secret
  }
  // With Redis a warm check reads no database; a revocation invalidates the cache on every node
  // before it is acknowledged (session-cache.ts).
  const found = await findSessionWithUser(ctx, sessionId, now)
  if (found === null) throw notAuthenticated()
  const { session, user } = found
  if (secret !== null && !isSessionSecretValid(session, secret)) throw notAuthenticated()
  if (userId !== null && session.userId !== userId) throw notAuthenticated()
  const state = sessionState(session, user, ctx.settings, now)
  if (state !== 'active') {
    throw new AuthError('session_revoked', { detail: 'This session has ended; sign in again.' })
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await ctx.store.sessions.touch(session.id, now)
  }
  return { user, session, via: credential.kind }
}
