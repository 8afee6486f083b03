import type { LoginResult } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { RequestContext } from '../types.js'
import { findOrCreateAccount } from './account-linking.js'
import { oauthFailed } from './failures.js'
import type { IdTokenSignInInput } from './oauth-api.js'
import { OAuthProviderError } from './provider.js'
import type { OAuthProviders } from './providers.js'
import { finishSocialSignIn } from './sign-in.js'

/**
 * Native apps sign in at the provider themselves and hand us the ID token. It is accepted only
 * after the adapter has checked all of it (signature from the issuer's JWKS with an algorithm
 * allowlist, iss, aud = our client id, exp, iat, and the nonce when the app sent one); then the
 * same linking policy and MFA rule as the browser flow apply.
 */
export async function signInWithIdToken(
  ctx: CoreContext,
  providers: OAuthProviders,
  input: IdTokenSignInInput,
  req: RequestContext,
): Promise<LoginResult> {
  const provider = providers.get(input.provider)
  if (!provider.acceptsIdTokens) {
    throw new AuthError('not_found', { detail: `${provider.label} does not issue ID tokens.` })
  }
  let profile
  try {
    profile = await provider.verifyIdToken(input.idToken, input.nonce ?? null)
  } catch (error) {
    if (!(error instanceof OAuthProviderError)) throw error
    if (error.kind === 'unavailable') throw oauthFailed('unavailable', provider.label, error)
    throw new AuthError('invalid_id_token', {
      detail: `The ${provider.label} ID token is not valid here (signature, issuer, audience, expiry or nonce).`,
      cause: error,
    })
  }
  const user = await findOrCreateAccount(ctx, provider, profile, req)
  return finishSocialSignIn(ctx, user, provider, req)
}
