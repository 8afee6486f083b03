// Social-login providers from the environment (docs/configuration.md, "Social login"). A provider
// is on when its client id and secret are both set; half a pair stops the start, naming the
// missing variable. Endpoint variables exist so tests can point at local stand-ins; they must be
// https, or http on loopback only.
import { ConfigError } from './config-error.js'
import { isLoopbackURL } from './parse-network.js'
import { readVar, showValue, type Env } from './parse.js'

export type OAuthProviderConfig =
  | {
      readonly kind: 'oidc'
      readonly name: string
      readonly label: string
      readonly issuer: string
      readonly clientId: string
      readonly clientSecret: string
    }
  | {
      readonly kind: 'github'
      readonly clientId: string
      readonly clientSecret: string
      readonly authorizeURL: string
      readonly tokenURL: string
      readonly apiURL: string
    }
  | {
      readonly kind: 'facebook'
      readonly clientId: string
      readonly clientSecret: string
      readonly authorizeURL: string
      readonly tokenURL: string
      readonly graphURL: string
    }

const BUILT_IN = ['GOOGLE', 'GITHUB', 'FACEBOOK']
const OIDC_ISSUER = /^OIDC_([A-Z0-9_]+)_ISSUER$/

function parseProviderURL(name: string, raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(name, `expected an https URL, got ${showValue(raw)}`)
  }
  const plainOk = url.protocol === 'http:' && isLoopbackURL(url.href)
  if ((url.protocol !== 'https:' && !plainOk) || url.username !== '' || url.hash !== '') {
    throw new ConfigError(
      name,
      `expected an https URL (http only on loopback), got ${showValue(raw)}`,
    )
  }
  return url.href.replace(/\/$/, '')
}

function url(env: Env, name: string, fallback: string): string {
  const raw = readVar(env, name)
  return raw === undefined ? fallback : parseProviderURL(name, raw)
}

/** Both halves of a client's credentials, or neither; never echoes the secret. */
function credentials(env: Env, prefix: string): { clientId: string; clientSecret: string } | null {
  const clientId = readVar(env, `${prefix}_CLIENT_ID`)
  const clientSecret = readVar(env, `${prefix}_CLIENT_SECRET`)
  if (clientId === undefined && clientSecret === undefined) return null
  if (clientId === undefined)
    throw new ConfigError(`${prefix}_CLIENT_ID`, `is required when ${prefix}_CLIENT_SECRET is set`)
  if (clientSecret === undefined)
    throw new ConfigError(`${prefix}_CLIENT_SECRET`, `is required when ${prefix}_CLIENT_ID is set`)
  return { clientId, clientSecret }
}

function oidcProviders(env: Env): OAuthProviderConfig[] {
  const names = Object.keys(env)
    .map((key) => OIDC_ISSUER.exec(key)?.[1])
    .filter(
      (name): name is string =>
        name !== undefined && readVar(env, `OIDC_${name}_ISSUER`) !== undefined,
    )
    .sort()
  return names.map((upper) => {
    const prefix = `OIDC_${upper}`
    const name = upper.toLowerCase().replace(/_/g, '-')
    if (BUILT_IN.includes(upper) || name.length > 32 || name.startsWith('-')) {
      throw new ConfigError(`${prefix}_ISSUER`, `${showValue(name)} is not a usable provider name`)
    }
    const pair = credentials(env, prefix)
    if (pair === null)
      throw new ConfigError(`${prefix}_CLIENT_ID`, `is required when ${prefix}_ISSUER is set`)
    const issuer = parseProviderURL(`${prefix}_ISSUER`, readVar(env, `${prefix}_ISSUER`) ?? '')
    const label = readVar(env, `${prefix}_LABEL`) ?? upper.charAt(0) + upper.slice(1).toLowerCase()
    return { kind: 'oidc', name, label: label.slice(0, 40), issuer, ...pair }
  })
}

/** Google, GitHub, Facebook (in that order) and every OIDC_<NAME>_ISSUER, sorted by name. */
export function loadOAuthProviders(env: Env): OAuthProviderConfig[] {
  const providers: OAuthProviderConfig[] = []
  const google = credentials(env, 'GOOGLE')
  if (google !== null) {
    const issuer = url(env, 'GOOGLE_ISSUER', 'https://accounts.google.com')
    providers.push({ kind: 'oidc', name: 'google', label: 'Google', issuer, ...google })
  }
  const github = credentials(env, 'GITHUB')
  if (github !== null) {
    providers.push({
      kind: 'github',
      ...github,
      authorizeURL: url(env, 'GITHUB_AUTHORIZE_URL', 'https://github.com/login/oauth/authorize'),
      tokenURL: url(env, 'GITHUB_TOKEN_URL', 'https://github.com/login/oauth/access_token'),
      apiURL: url(env, 'GITHUB_API_URL', 'https://api.github.com'),
    })
  }
  const facebook = credentials(env, 'FACEBOOK')
  if (facebook !== null) {
    providers.push({
      kind: 'facebook',
      ...facebook,
      authorizeURL: url(
        env,
        'FACEBOOK_AUTHORIZE_URL',
        'https://www.facebook.com/v23.0/dialog/oauth',
      ),
      tokenURL: url(
        env,
        'FACEBOOK_TOKEN_URL',
        'https://graph.facebook.com/v23.0/oauth/access_token',
      ),
      graphURL: url(env, 'FACEBOOK_GRAPH_URL', 'https://graph.facebook.com/v23.0'),
    })
  }
  return [...providers, ...oidcProviders(env)]
}
