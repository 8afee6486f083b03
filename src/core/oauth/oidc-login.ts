// The browser flow: /start builds the authorization request and its transaction, /callback
// checks the transaction, lets the adapter exchange and verify, and applies the linking policy.
import { timingSafeEqual } from 'node:crypto'
import { hashToken } from '../../crypto/hash-token.js'
import { generateRandomToken } from '../../crypto/random.js'
import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import type { RequestContext } from '../types.js'
import { findOrCreateAccount, linkIdentity } from './account-linking.js'
import { oauthFailed, stateMismatch } from './failures.js'
import { sameSitePath } from '../redirect-path.js'
import type { OAuthCallbackInput, OAuthCallbackResult, OAuthStart } from './oauth-api.js'
import { OAuthProviderError, type OAuthProvider } from './provider.js'
import { redirectURIFor, type OAuthProviders } from './providers.js'
import { finishSocialSignIn } from './sign-in.js'
import {
  openTransaction,
  sealTransaction,
  TRANSACTION_TTL_SECONDS,
  type OAuthTransaction,
} from './transaction.js'

export interface OAuthContext {
  readonly core: CoreContext
  readonly providers: OAuthProviders
  /** AES-256-GCM key for the transaction cookie, derived from the instance secret. */
  readonly transactionKey: Uint8Array
}

/** Adapter errors become `oauth_failed` with a fixed text; anything else is a bug and propagates. */
export async function callProvider<T>(provider: OAuthProvider, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof OAuthProviderError) throw oauthFailed(error.kind, provider.label, error)
    throw error
  }
}

export async function startOAuth(
  o: OAuthContext,
  providerName: string,
  options: { readonly next: string; readonly linkFor: Principal | null },
): Promise<OAuthStart> {
  const provider = o.providers.get(providerName)
  const { core } = o
  // RFC 9700 §2.1: state and nonce from the CSPRNG, PKCE S256 on every request (64-char verifier).
  const state = generateRandomToken(32)
  const nonce = generateRandomToken(32)
  const codeVerifier = generateRandomToken(48)
  // The provider first: one that is down leaves nothing behind (no token, no cookie).
  const url = await callProvider(provider, () =>
    provider.createAuthorizationURL({
      redirectURI: redirectURIFor(core.settings, provider.name),
      state,
      nonce,
      codeVerifier,
    }),
  )
  const now = core.clock.now()
  const expiresAt = new Date(now.getTime() + TRANSACTION_TTL_SECONDS * 1000)
  const link = options.linkFor
  await core.store.oneTimeTokens.issue({
    tokenHash: hashToken(state),
    purpose: 'oauth_state',
    userId: link === null ? null : link.user.id,
    email: null,
    data: { provider: provider.name, intent: link === null ? 'login' : 'link' },
    createdAt: now,
    expiresAt,
  })
  const transaction: OAuthTransaction = {
    provider: provider.name,
    state,
    nonce,
    codeVerifier,
    next: sameSitePath(options.next),
    intent: link === null ? 'login' : 'link',
    userId: link === null ? null : link.user.id,
    sessionId: link === null ? null : link.session.id,
    expiresAt,
  }
  return {
    authorizationURL: url.href,
    transaction: sealTransaction(o.transactionKey, transaction),
    expiresAt,
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** SEC-OIDC-01: from this browser, for this provider, in time, and only once. */
async function checkTransaction(
  o: OAuthContext,
  provider: OAuthProvider,
  input: OAuthCallbackInput,
): Promise<OAuthTransaction> {
  const now = o.core.clock.now()
  const transaction = openTransaction(o.transactionKey, input.transaction)
  if (transaction === null) throw stateMismatch('missing')
  // A callback on another provider's redirect URI than the one the flow began with (mix-up).
  if (transaction.provider !== provider.name) throw stateMismatch('mismatch')
  const state = input.params['state']
  if (state === undefined || !sameString(state, transaction.state)) throw stateMismatch('mismatch')
  if (transaction.expiresAt.getTime() <= now.getTime()) throw stateMismatch('expired')
  const consumed = await o.core.store.oneTimeTokens.consume(hashToken(state), 'oauth_state', now)
  if (consumed === null) throw stateMismatch('missing')
  if (consumed.kind === 'expired') throw stateMismatch('expired')
  if (consumed.kind !== 'consumed') throw stateMismatch('used')
  return transaction
}

export async function finishOAuth(
  o: OAuthContext,
  input: OAuthCallbackInput,
  req: RequestContext,
): Promise<OAuthCallbackResult> {
  const provider = o.providers.get(input.provider)
  const transaction = await checkTransaction(o, provider, input)
  const error = input.params['error']
  if (error !== undefined) {
    // RFC 6749 §4.1.2.1; only the code is looked at, never error_description.
    throw oauthFailed(error === 'access_denied' ? 'denied' : 'provider_error', provider.label)
  }
  const callbackURL = new URL(redirectURIFor(o.core.settings, provider.name))
  for (const [name, value] of Object.entries(input.params)) {
    callbackURL.searchParams.append(name, value)
  }
  const profile = await callProvider(provider, () =>
    provider.exchangeCode({
      callbackURL,
      state: transaction.state,
      nonce: transaction.nonce,
      codeVerifier: transaction.codeVerifier,
    }),
  )
  const next = sameSitePath(transaction.next)
  if (transaction.intent === 'link') {
    const principal = input.principal
    // Linked only into the very session that asked: not another account signed in meanwhile.
    if (
      principal === null ||
      principal.user.id !== transaction.userId ||
      principal.session.id !== transaction.sessionId
    ) {
      throw oauthFailed('link_session', provider.label)
    }
    const identity = await linkIdentity(o.core, principal, provider, profile, req)
    return { kind: 'linked', identity, next }
  }
  const user = await findOrCreateAccount(o.core, provider, profile, req)
  return { kind: 'signed_in', login: await finishSocialSignIn(o.core, user, provider, req), next }
}
