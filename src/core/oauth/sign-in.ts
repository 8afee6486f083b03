import type { LoginResult } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import { issueMfaChallenge } from '../mfa/mfa-challenge.js'
import { startSession } from '../sessions/start-session.js'
import type { RequestContext, User } from '../types.js'
import type { OAuthProvider } from './provider.js'

/**
 * The end of every social sign-in (browser callback and native ID token alike). The provider
 * proved the first factor only: with 2FA on, the answer is the same `mfa_required` ticket a
 * password login gets, and no session exists until the code is right (SEC-MFA-07). A new
 * session is made in any case, never an earlier one promoted (SEC-SESS-03).
 */
export async function finishSocialSignIn(
  ctx: CoreContext,
  user: User,
  provider: OAuthProvider,
  req: RequestContext,
): Promise<LoginResult> {
  // The person proved the identity at the provider, so these may be told (SEC-ENUM-01).
  if (user.disabled) {
    throw new AuthError('account_disabled', { detail: 'This account has been disabled.' })
  }
  if (ctx.settings.requireEmailVerification && !user.emailVerified) {
    throw new AuthError('email_not_verified', {
      detail: 'Verify your email address before signing in.',
    })
  }
  if (user.mfaEnabled) return issueMfaChallenge(ctx, user, 'oauth')
  const tokens = await startSession(ctx, user, req, 'user.login_succeeded', {
    method: 'oauth',
    provider: provider.name,
  })
  return { kind: 'tokens', tokens }
}
