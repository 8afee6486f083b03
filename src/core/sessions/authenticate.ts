import type { Credential, Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import type { CachedSession } from '../ports.js'
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

/** Who a credential claims to be, before the session is looked up. */
interface Claimed {
  readonly sessionId: string
  /** The token's `sub` (bearer); null for a cookie, whose secret is checked instead. */
  readonly userId: string | null
  readonly secret: string | null
}

function claimOf(ctx: CoreContext, credential: Credential, now: Date): Claimed | AuthError {
  if (credential.kind === 'bearer') {
    const verdict = verifyAccessTokenCached(
      ctx.keys,
      { issuer: ctx.settings.issuer, audience: ctx.settings.audience },
      credential.token,
      now,
    )
    if (verdict.ok)
      return { sessionId: verdict.claims.sid, userId: verdict.claims.sub, secret: null }
    if (verdict.reason === 'expired') {
      return new AuthError('token_expired', { detail: 'The access token has expired; refresh it.' })
    }
    return notAuthenticated()
  }
  const parsed = parseSessionToken(credential.token)
  if (parsed === null) return notAuthenticated()
  return { sessionId: parsed.id, userId: null, secret: parsed.secret }
}

/** Does the session found answer the claim, and is it live? */
function judge(
  ctx: CoreContext,
  claim: Claimed,
  found: CachedSession | null,
  now: Date,
): AuthError | null {
  if (found === null) return notAuthenticated()
  const { session, user } = found
  if (claim.secret !== null && !isSessionSecretValid(session, claim.secret)) {
    return notAuthenticated()
  }
  if (claim.userId !== null && session.userId !== claim.userId) return notAuthenticated()
  if (sessionState(session, user, ctx.settings, now) !== 'active') {
    return new AuthError('session_revoked', { detail: 'This session has ended; sign in again.' })
  }
  return null
}

function needsTouch(found: CachedSession, now: Date): boolean {
  return now.getTime() - found.session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS
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
  const claim = claimOf(ctx, credential, now)
  if (claim instanceof AuthError) throw claim
  // With Redis a warm check reads no database; a revocation invalidates the cache on every node
  // before it is acknowledged (session-cache.ts).
  const found = await findSessionWithUser(ctx, claim.sessionId, now)
  const refusal = judge(ctx, claim, found, now)
  if (refusal !== null || found === null) throw refusal ?? notAuthenticated()
  if (needsTouch(found, now)) await ctx.store.sessions.touch(found.session.id, now)
  return { user: found.user, session: found.session, via: credential.kind }
}

/**
 * The same check without a promise, for the warm case only: the principal when the token (or
 * cookie) is good and a cache that answers synchronously (SessionCache.peek) holds the session
 * live, with no touch due. Null otherwise, refusals included: `authenticateCredential` then
 * decides, so every refusal and every store read has one code path.
 */
export function authenticateCredentialWarm(
  ctx: CoreContext,
  credential: Credential,
): Principal | null {
  const cache = ctx.sessionCache
  if (cache?.peek === undefined) return null
  const now = ctx.clock.now()
  const claim = claimOf(ctx, credential, now)
  if (claim instanceof AuthError) return null
  const found = cache.peek(claim.sessionId)
  if (found === null || judge(ctx, claim, found, now) !== null || needsTouch(found, now)) {
    return null
  }
  return { user: found.user, session: found.session, via: credential.kind }
}
