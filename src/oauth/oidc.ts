// Any OpenID Connect provider found by discovery: Google and every OIDC_<NAME>_ISSUER.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'
import * as client from 'openid-client'
import {
  OAuthProviderError,
  type AuthorizationRequest,
  type CodeExchange,
  type ExternalProfile,
  type OAuthProvider,
} from '../core/oauth/provider.js'
import { asProviderStep } from './provider-errors.js'
import {
  assertSecureURL,
  configureTransport,
  isLoopbackHTTP,
  PROVIDER_TIMEOUT_SECONDS,
} from './transport.js'

export interface OIDCProviderOptions {
  readonly name: string
  readonly label: string
  /** The issuer identifier; discovery reads `${issuer}/.well-known/openid-configuration`. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
}

/** Asymmetric algorithms only: `none` and the HMAC family (key confusion) are never accepted. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]
/** Native apps: Google's ID tokens live an hour; an older one is not a fresh sign-in. */
const ID_TOKEN_MAX_AGE_SECONDS = 3600
const CLOCK_TOLERANCE_SECONDS = 30

type RemoteJWKS = ReturnType<typeof createRemoteJWKSet>

/**
 * Google documents `iss` as "https://accounts.google.com" or "accounts.google.com" (the latter
 * from some Android sign-ins). Both are accepted for that issuer, and identities are filed under
 * the https form, so one person is one identity whichever a token carried.
 */
function acceptedIssuers(issuer: string): string[] {
  return issuer === 'https://accounts.google.com' ? [issuer, 'accounts.google.com'] : [issuer]
}

function claimString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

/** Google has sent `email_verified` both as a boolean and as the string "true". */
function claimTrue(value: unknown): boolean {
  return value === true || value === 'true'
}

export class OIDCProvider implements OAuthProvider {
  readonly name: string
  readonly label: string
  readonly acceptsIdTokens = true
  readonly #options: OIDCProviderOptions
  #discovered: Promise<client.Configuration> | null = null
  #jwks: RemoteJWKS | null = null

  constructor(options: OIDCProviderOptions) {
    assertSecureURL(options.issuer, `${options.name} issuer`)
    this.name = options.name
    this.label = options.label
    this.#options = options
  }

  /**
   * Discovery happens at first use and is kept; a failed one is forgotten so the next sign-in
   * tries again. So a provider that is down when the server starts stops nothing but itself.
   */
  #configuration(): Promise<client.Configuration> {
    if (this.#discovered !== null) return this.#discovered
    const { issuer, clientId, clientSecret } = this.#options
    const execute = [
      // OIDC Core §3.1.3.7 lets a client skip the signature check over TLS; we check it anyway,
      // against the issuer's JWKS (SEC-OIDC-03), which also covers loopback http issuers.
      client.enableNonRepudiationChecks,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback issuers only (tests, local IdPs)
      ...(isLoopbackHTTP(issuer) ? [client.allowInsecureRequests] : []),
    ]
    const discovered = client
      .discovery(new URL(issuer), clientId, clientSecret, undefined, {
        execute,
        timeout: PROVIDER_TIMEOUT_SECONDS,
      })
      .then((config) => {
        configureTransport(config, [issuer])
        return config
      })
    this.#discovered = discovered
    discovered.catch(() => {
      if (this.#discovered === discovered) this.#discovered = null
    })
    return discovered
  }

  async createAuthorizationURL(request: AuthorizationRequest): Promise<URL> {
    return asProviderStep(async () => {
      const config = await this.#configuration()
      return client.buildAuthorizationUrl(config, {
        redirect_uri: request.redirectURI,
        scope: 'openid email profile',
        state: request.state,
        nonce: request.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
      })
    })
  }

  async exchangeCode(exchange: CodeExchange): Promise<ExternalProfile> {
    return asProviderStep(async () => {
      const config = await this.#configuration()
      // Checks state and RFC 9207 `iss` on the callback, sends the PKCE verifier, and checks the
      // ID token's signature, iss, aud, azp, exp, iat and nonce.
      const tokens = await client.authorizationCodeGrant(config, exchange.callbackURL, {
        pkceCodeVerifier: exchange.codeVerifier,
        expectedState: exchange.state,
        expectedNonce: exchange.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (claims === undefined) throw new OAuthProviderError('invalid_response', 'no ID token')
      let { email, email_verified: verified, name } = claims
      // Providers that keep the ID token small (OIDC §5.4) give the email at the UserInfo endpoint.
      if (claimString(email) === null && config.serverMetadata().userinfo_endpoint !== undefined) {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
        ;({ email, email_verified: verified } = info)
        name ??= info.name
      }
      return this.#profile(claims.iss, claims.sub, { email, email_verified: verified, name })
    })
  }

  async verifyIdToken(idToken: string, nonce: string | null): Promise<ExternalProfile> {
    return asProviderStep(async () => {
      const config = await this.#configuration()
      const metadata = config.serverMetadata()
      if (metadata.jwks_uri === undefined)
        throw new OAuthProviderError('invalid_response', 'no jwks_uri')
      this.#jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), {
        timeoutDuration: PROVIDER_TIMEOUT_SECONDS * 1000,
      })
      const offered = metadata.id_token_signing_alg_values_supported ?? ['RS256']
      const { payload } = await jwtVerify(idToken, this.#jwks, {
        issuer: acceptedIssuers(metadata.issuer),
        audience: this.#options.clientId,
        algorithms: ALGORITHMS.filter((alg) => offered.includes(alg)),
        requiredClaims: ['sub', 'iat', 'exp'],
        maxTokenAge: ID_TOKEN_MAX_AGE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      })
      this.#checkNativeClaims(payload, nonce)
      return this.#profile(metadata.issuer, String(payload.sub), payload)
    })
  }

  /** OIDC Core §3.1.3.7 items 4-5 (azp) and §3.1.3.7 item 11 (nonce), which jwtVerify leaves to us. */
  #checkNativeClaims(payload: JWTPayload, nonce: string | null): void {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
    if (audiences.length > 1 && payload['azp'] !== this.#options.clientId) {
      throw new OAuthProviderError('invalid_response', 'azp is not our client id')
    }
    if (nonce !== null && payload['nonce'] !== nonce) {
      throw new OAuthProviderError('invalid_response', 'nonce mismatch')
    }
  }

  #profile(issuer: string, subject: string, claims: Record<string, unknown>): ExternalProfile {
    if (subject === '') throw new OAuthProviderError('invalid_response', 'empty sub')
    return {
      issuer,
      subject,
      email: claimString(claims['email']),
      emailVerified: claimTrue(claims['email_verified']),
      name: claimString(claims['name']),
    }
  }
}
