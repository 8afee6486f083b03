// The port between core and an outside identity provider. Core owns the browser binding (state,
// nonce and PKCE verifier, sealed in a cookie) and the account policy; the adapter (src/oauth/,
// on openid-client) owns the protocol: discovery, the authorization URL, the code exchange and
// every check on what comes back. Core never sees a provider's tokens, only the profile.

/** Who the provider says signed in, normalised across OIDC, GitHub and Facebook. */
export interface ExternalProfile {
  /** OIDC `iss` as validated, or a fixed URL for plain OAuth 2 providers (`https://github.com`). */
  readonly issuer: string
  /** The provider's stable id for the person (`sub`, GitHub's numeric id, Facebook's app-scoped id). */
  readonly subject: string
  readonly email: string | null
  /** True only when the provider itself says the address is verified (SEC-OIDC-04). */
  readonly emailVerified: boolean
  readonly name: string | null
}

export interface AuthorizationRequest {
  /** Exactly `${PUBLIC_URL}/auth/oauth/{provider}/callback`: from configuration, never a Host header. */
  readonly redirectURI: string
  readonly state: string
  readonly nonce: string
  /** The PKCE verifier; the adapter sends its S256 challenge (RFC 7636 §4.2). */
  readonly codeVerifier: string
}

export interface CodeExchange {
  /** The redirect URI with the callback's query parameters. */
  readonly callbackURL: URL
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
}

export type OAuthProviderFailure =
  /** The person declined at the provider (`error=access_denied`). */
  | 'denied'
  /** The provider answered the callback with another error. */
  | 'provider_error'
  /** The provider could not be reached, or answered 5xx or not in time. */
  | 'unavailable'
  /** The code was refused at the token endpoint: expired, used already, or not ours. */
  | 'code_rejected'
  /** A token or profile failed a check (signature, iss, aud, exp, iat, nonce, shape). */
  | 'invalid_response'

/** What an adapter throws; core turns it into `oauth_failed` with a fixed text (never the provider's). */
export class OAuthProviderError extends Error {
  readonly kind: OAuthProviderFailure

  constructor(kind: OAuthProviderFailure, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'OAuthProviderError'
    this.kind = kind
  }
}

/**
 * One configured provider. Implementations must check everything RFC 9700 and OIDC Core §3.1.3.7
 * ask of a client: state and `iss` on the callback, PKCE S256, and the ID token's signature (from
 * the issuer's JWKS, with an algorithm allowlist), `iss`, `aud`, `exp`, `iat` and `nonce`.
 */
export interface OAuthProvider {
  /** The path segment: `google`, `github`, `facebook`, or a configured OIDC name. */
  readonly name: string
  /** For buttons: "Google", "GitHub". */
  readonly label: string
  /** Whether native apps may sign in with one of its ID tokens (OIDC providers only). */
  readonly acceptsIdTokens: boolean
  createAuthorizationURL(request: AuthorizationRequest): Promise<URL>
  exchangeCode(exchange: CodeExchange): Promise<ExternalProfile>
  /** Native apps: validates an ID token issued to our client id; `nonce` when the app sent one. */
  verifyIdToken(idToken: string, nonce: string | null): Promise<ExternalProfile>
}

/** What pages and clients may know about a provider. */
export interface OAuthProviderSummary {
  readonly name: string
  readonly label: string
}
