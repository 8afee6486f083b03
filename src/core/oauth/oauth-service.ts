import { deriveKey } from '../../crypto/secret-keys.js'
import type { CoreContext } from '../context.js'
import { listIdentities, unlinkIdentity } from './identities.js'
import { signInWithIdToken } from './native-token.js'
import type { OAuthAuth } from './oauth-api.js'
import { finishOAuth, startOAuth, type OAuthContext } from './oidc-login.js'
import type { OAuthProvider } from './provider.js'
import { OAuthProviders } from './providers.js'

/** The OAuthAuth methods over the configured providers; createAuth spreads them into `Auth`. */
export function createOAuthMethods(
  ctx: CoreContext,
  providers: readonly OAuthProvider[],
  secret: Uint8Array,
): OAuthAuth {
  const o: OAuthContext = {
    core: ctx,
    providers: new OAuthProviders(providers),
    transactionKey: deriveKey(secret, 'oauth-transaction'),
  }
  return {
    oauthProviders: () => o.providers.summaries(),
    startOAuth: (provider, next) => startOAuth(o, provider, { next, linkFor: null }),
    startOAuthLink: (principal, provider) =>
      startOAuth(o, provider, { next: '/settings/security', linkFor: principal }),
    finishOAuth: (input, req) => finishOAuth(o, input, req),
    signInWithIdToken: (input, req) => signInWithIdToken(ctx, o.providers, input, req),
    listIdentities: (principal) => listIdentities(ctx, principal),
    unlinkIdentity: (principal, id, req) => unlinkIdentity(ctx, principal, id, req),
  }
}
