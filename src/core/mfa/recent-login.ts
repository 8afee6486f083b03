import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'

/** How fresh a sign-in must be to add a way of signing in. */
export const RECENT_LOGIN_SECONDS = 15 * 60

/**
 * Adding a sign-in factor (a TOTP app, a passkey) needs a session that began recently. A stolen
 * cookie or access token alone must not be enough to plant a passkey that outlives the session,
 * or a TOTP secret that locks the owner out.
 */
export function assertRecentLogin(ctx: CoreContext, principal: Principal): void {
  const age = (ctx.clock.now().getTime() - principal.session.createdAt.getTime()) / 1000
  if (age > RECENT_LOGIN_SECONDS) {
    throw new AuthError('reauth_required', {
      detail: 'Sign in again, then retry: this needs a recent sign-in.',
    })
  }
}
