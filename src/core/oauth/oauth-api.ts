// The social-login part of the `Auth` interface (auth-api.ts extends it).
import type { LoginResult, Principal } from '../auth-api.js'
import type { ExternalIdentity, RequestContext } from '../types.js'
import type { OAuthProviderSummary } from './provider.js'

export interface OAuthStart {
  /** Where to send the browser (302). */
  readonly authorizationURL: string
  /** The sealed transaction: the value of the browser-bound cookie, opaque to everyone else. */
  readonly transaction: string
  readonly expiresAt: Date
}

export interface OAuthCallbackInput {
  readonly provider: string
  /** The callback's query parameters, each given once. */
  readonly params: Readonly<Record<string, string>>
  /** The transaction cookie's value, or null when the browser sent none. */
  readonly transaction: string | null
  /** The signed-in caller, if any: needed only to finish a link. */
  readonly principal: Principal | null
}

export type OAuthCallbackResult =
  | { readonly kind: 'signed_in'; readonly login: LoginResult; readonly next: string }
  | { readonly kind: 'linked'; readonly identity: ExternalIdentity; readonly next: string }

export interface IdTokenSignInInput {
  readonly provider: string
  readonly idToken: string
  /** The nonce the app put in its authorization request; required to match when given. */
  readonly nonce?: string | undefined
}

export interface OAuthAuth {
  /** The configured providers, for "Sign in with …" buttons. */
  oauthProviders(): readonly OAuthProviderSummary[]
  /**
   * Begins a sign-in; `next` is reduced to a same-site path. 404 `not_found` for an unknown
   * provider, 400 `oauth_failed` when the provider cannot be reached.
   */
  startOAuth(provider: string, next: string, ctx: RequestContext): Promise<OAuthStart>
  /** Begins linking a provider to the caller's account (a signed-in, CSRF-checked request). */
  startOAuthLink(principal: Principal, provider: string, ctx: RequestContext): Promise<OAuthStart>
  /**
   * The callback: 400 `oauth_state_mismatch` (missing, forged, expired or used state),
   * 400 `oauth_failed`, 409 `oauth_account_exists` (never linked silently), 409
   * `oauth_identity_taken` (link), 403 `account_disabled`.
   */
  finishOAuth(input: OAuthCallbackInput, ctx: RequestContext): Promise<OAuthCallbackResult>
  /** Native apps: 401 `invalid_id_token`, and the same policy answers as the callback. */
  signInWithIdToken(input: IdTokenSignInInput, ctx: RequestContext): Promise<LoginResult>
  listIdentities(principal: Principal): Promise<ExternalIdentity[]>
  /** 404 for an identity that is not the caller's; 409 `last_sign_in_method`. */
  unlinkIdentity(principal: Principal, identityId: string, ctx: RequestContext): Promise<void>
}
