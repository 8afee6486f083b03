// Facebook: OAuth 2 (Facebook Login, with PKCE) and the Graph API's /me?fields=id,name,email
// (developers.facebook.com/docs/graph-api/reference/user). Identities are filed under the fixed
// issuer https://www.facebook.com with the app-scoped user id as subject.
import { createHmac } from 'node:crypto'
import type { ExternalProfile } from '../core/oauth/provider.js'
import { field, OAuth2Provider, subjectOf, textOrNull } from './oauth2.js'

export interface FacebookOptions {
  readonly clientId: string
  readonly clientSecret: string
  readonly authorizeURL: string
  readonly tokenURL: string
  readonly graphURL: string
}

export const FACEBOOK_DEFAULTS = {
  authorizeURL: 'https://www.facebook.com/v23.0/dialog/oauth',
  tokenURL: 'https://graph.facebook.com/v23.0/oauth/access_token',
  graphURL: 'https://graph.facebook.com/v23.0',
} as const

export class FacebookProvider extends OAuth2Provider {
  readonly name = 'facebook'
  readonly label = 'Facebook'

  constructor(options: FacebookOptions) {
    super({
      issuer: 'https://www.facebook.com',
      authorizeURL: options.authorizeURL,
      tokenURL: options.tokenURL,
      apiURL: options.graphURL,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scope: 'email public_profile',
    })
  }

  protected async fetchProfile(accessToken: string): Promise<ExternalProfile> {
    const url = new URL(`${this.endpoints.apiURL.replace(/\/$/, '')}/me`)
    url.searchParams.set('fields', 'id,name,email')
    // Graph API "appsecret_proof": a token stolen elsewhere cannot be used with our app id.
    const proof = createHmac('sha256', this.endpoints.clientSecret)
      .update(accessToken)
      .digest('hex')
    url.searchParams.set('appsecret_proof', proof)
    const me = await this.getJSON(accessToken, url)
    return {
      issuer: this.endpoints.issuer,
      subject: subjectOf(field(me, 'id')),
      email: textOrNull(field(me, 'email')),
      // Facebook says nothing about whether the address was confirmed, so it is not "verified".
      emailVerified: false,
      name: textOrNull(field(me, 'name')),
    }
  }
}
