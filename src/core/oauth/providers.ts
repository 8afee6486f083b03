import type { AuthSettings } from '../auth-options.js'
import { unknownProvider } from './failures.js'
import type { OAuthProvider, OAuthProviderSummary } from './provider.js'

const NAME = /^[a-z0-9][a-z0-9-]{0,31}$/

/** The configured providers by path name; an unknown name is a 404, never a guess. */
export class OAuthProviders {
  readonly #byName = new Map<string, OAuthProvider>()

  constructor(providers: readonly OAuthProvider[]) {
    for (const provider of providers) {
      if (!NAME.test(provider.name)) throw new Error(`bad OAuth provider name ${provider.name}`)
      if (this.#byName.has(provider.name)) throw new Error(`two providers named ${provider.name}`)
      this.#byName.set(provider.name, provider)
    }
  }

  /** Throws 404 `not_found` for a name that is not configured. */
  get(name: string): OAuthProvider {
    const provider = this.#byName.get(name)
    if (provider === undefined) throw unknownProvider()
    return provider
  }

  summaries(): OAuthProviderSummary[] {
    return [...this.#byName.values()].map(({ name, label }) => ({ name, label }))
  }
}

/**
 * The one redirect URI of a provider, from PUBLIC_URL (never the request's Host header). One URI
 * per provider also tells a callback which provider it must come from (RFC 9700 §4.4 mix-up).
 */
export function redirectURIFor(settings: AuthSettings, providerName: string): string {
  return `${settings.issuer}/auth/oauth/${providerName}/callback`
}
