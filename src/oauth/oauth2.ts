// Plain OAuth 2 providers (GitHub, Facebook): no discovery and no ID token, so the person is
// whoever the provider's API says the access token belongs to. openid-client still does the
// protocol: the authorization URL, the callback's state check and the PKCE code exchange.
import * as client from 'openid-client'
import {
  OAuthProviderError,
  type AuthorizationRequest,
  type CodeExchange,
  type ExternalProfile,
  type OAuthProvider,
} from '../core/oauth/provider.js'
import { asProviderStep } from './provider-errors.js'
import { assertSecureURL, configureTransport, readJSON } from './transport.js'

export interface OAuth2Endpoints {
  /** What identities are filed under: the provider's fixed issuer URL (e.g. https://github.com). */
  readonly issuer: string
  readonly authorizeURL: string
  readonly tokenURL: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scope: string
  /** The provider's API base; every URL here is https, or http on loopback only. */
  readonly apiURL: string
  /** Replaces fetch for the token request (a provider's quirks; see github.ts). */
  readonly tokenFetch?: client.CustomFetch
}

export abstract class OAuth2Provider implements OAuthProvider {
  abstract readonly name: string
  abstract readonly label: string
  readonly acceptsIdTokens = false
  protected readonly config: client.Configuration
  protected readonly endpoints: OAuth2Endpoints

  constructor(endpoints: OAuth2Endpoints) {
    const urls = [endpoints.authorizeURL, endpoints.tokenURL, endpoints.apiURL]
    for (const url of urls) assertSecureURL(url, `${endpoints.issuer} endpoint`)
    this.endpoints = endpoints
    this.config = new client.Configuration(
      {
        issuer: endpoints.issuer,
        authorization_endpoint: endpoints.authorizeURL,
        token_endpoint: endpoints.tokenURL,
      },
      endpoints.clientId,
      endpoints.clientSecret,
    )
    configureTransport(this.config, urls)
    if (endpoints.tokenFetch !== undefined) this.config[client.customFetch] = endpoints.tokenFetch
  }

  async createAuthorizationURL(request: AuthorizationRequest): Promise<URL> {
    return asProviderStep(async () =>
      client.buildAuthorizationUrl(this.config, {
        redirect_uri: request.redirectURI,
        scope: this.endpoints.scope,
        state: request.state,
        // RFC 9700 §2.1.1: PKCE with S256 for every client, confidential ones too.
        code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
      }),
    )
  }

  async exchangeCode(exchange: CodeExchange): Promise<ExternalProfile> {
    return asProviderStep(async () => {
      const tokens = await client.authorizationCodeGrant(this.config, exchange.callbackURL, {
        pkceCodeVerifier: exchange.codeVerifier,
        expectedState: exchange.state,
      })
      return this.fetchProfile(tokens.access_token)
    })
  }

  verifyIdToken(): Promise<ExternalProfile> {
    return Promise.reject(
      new OAuthProviderError('invalid_response', `${this.name} has no ID tokens`),
    )
  }

  /** GET from the provider's API with the access token; IdP tokens never leave the server. */
  protected async getJSON(
    accessToken: string,
    url: URL,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const response = await client.fetchProtectedResource(
      this.config,
      accessToken,
      url,
      'GET',
      undefined,
      new Headers({ accept: 'application/json', ...headers }),
    )
    return readJSON(response, url.pathname)
  }

  protected abstract fetchProfile(accessToken: string): Promise<ExternalProfile>
}

export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined
}

export function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

/** A provider's numeric or string id as our subject; anything else is not an answer we trust. */
export function subjectOf(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value)
  if (typeof value === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(value)) return value
  throw new OAuthProviderError('invalid_response', 'no usable id in the profile')
}
