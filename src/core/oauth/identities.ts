import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { ExternalIdentity, RequestContext } from '../types.js'

export async function listIdentities(
  ctx: CoreContext,
  principal: Principal,
): Promise<ExternalIdentity[]> {
  return ctx.store.identities.listForUser(principal.user.id)
}

/**
 * Unlinks one of the caller's identities, unless it is the last way into the account (no
 * password, no passkey, no other identity): that would lock the owner out for good. The store
 * decides under a lock on the user, so two unlinks at once cannot both pass the check.
 */
export async function unlinkIdentity(
  ctx: CoreContext,
  principal: Principal,
  identityId: string,
  req: RequestContext,
): Promise<void> {
  const userId = principal.user.id
  await ctx.audit.transaction(req, async (tx, record) => {
    const result = await tx.identities.unlinkUnlessLast(userId, identityId)
    switch (result.kind) {
      case 'not_found':
        // Another user's identity is unknown too: ids are not confirmed to outsiders.
        throw new AuthError('not_found', { detail: 'There is no such linked account.' })
      case 'last_sign_in':
        throw new AuthError('last_sign_in_method', {
          detail:
            'This is the only way to sign in to your account. Set a password or link another account first.',
        })
      case 'unlinked':
        await record({
          type: 'oauth.unlinked',
          userId,
          actorId: userId,
          sessionId: principal.session.id,
          data: { provider: result.identity.provider, identity_id: result.identity.id },
        })
    }
  })
}
