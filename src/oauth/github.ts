// GitHub: OAuth 2 (with PKCE) and its REST API, /user and /user/emails
// (docs.github.com/en/rest/users). GitHub has no OIDC for people, so identities are filed under
// the fixed issuer https://github.com with the numeric user id as subject (logins can change).
import type * as client from 'openid-client'
import type { ExternalProfile } from '../core/oauth/provider.js'
import { field, OAuth2Provider, subjectOf, textOrNull } from './oauth2.js'

export interface GitHubOptions {
  readonly clientId: string
  readonly clientSecret: string
  readonly authorizeURL: string
  readonly tokenURL: string
  readonly apiURL: string
}

export const GITHUB_DEFAULTS = {
  authorizeURL: 'https://github.com/login/oauth/authorize',
  tokenURL: 'https://github.com/login/oauth/access_token',
  apiURL: 'https://api.github.com',
} as const

const API_HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
}

/**
 * GitHub answers a refused code with HTTP 200 and `{"error": "bad_verification_code"}`. Given
 * the status RFC 6749 §5.2 asks for, openid-client reports it as the invalid_grant it is.
 */
const githubTokenFetch: client.CustomFetch = async (url, options) => {
  const response = await fetch(url, options)
  if (response.status !== 200) return response
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null)
  const error = field(body, 'error')
  if (typeof error !== 'string' || field(body, 'access_token') !== undefined) return response
  const rfcError = error === 'bad_verification_code' ? 'invalid_grant' : error
  return Response.json({ error: rfcError }, { status: 400 })
}

/** Only an address GitHub marks both primary and verified counts as verified. */
function pickEmail(
  emails: unknown,
  profileEmail: string | null,
): { email: string | null; verified: boolean } {
  const list: unknown[] = Array.isArray(emails) ? emails : []
  const primary = list.find((entry) => field(entry, 'primary') === true)
  const address = textOrNull(field(primary, 'email'))
  if (address !== null) return { email: address, verified: field(primary, 'verified') === true }
  return { email: profileEmail, verified: false }
}

export class GitHubProvider extends OAuth2Provider {
  readonly name = 'github'
  readonly label = 'GitHub'

  constructor(options: GitHubOptions) {
    super({
      issuer: 'https://github.com',
      authorizeURL: options.authorizeURL,
      tokenURL: options.tokenURL,
      apiURL: options.apiURL,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scope: 'read:user user:email',
      tokenFetch: githubTokenFetch,
    })
  }

  protected async fetchProfile(accessToken: string): Promise<ExternalProfile> {
    const base = this.endpoints.apiURL.replace(/\/$/, '')
    const user = await this.getJSON(accessToken, new URL(`${base}/user`), API_HEADERS)
    const emails = await this.getJSON(accessToken, new URL(`${base}/user/emails`), API_HEADERS)
    const { email, verified } = pickEmail(emails, textOrNull(field(user, 'email')))
    return {
      issuer: this.endpoints.issuer,
      subject: subjectOf(field(user, 'id')),
      email,
      emailVerified: verified,
      name: textOrNull(field(user, 'name')) ?? textOrNull(field(user, 'login')),
    }
  }
}
