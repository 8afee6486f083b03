import type { OAuthProviderConfig } from '../config/oauth-providers.js'
import type { OAuthProvider } from '../core/oauth/provider.js'
import { FacebookProvider } from './facebook.js'
import { GitHubProvider } from './github.js'
import { OIDCProvider } from './oidc.js'

/** The adapters for the configured providers. Nothing is fetched here: discovery is lazy. */
export function createOAuthProviders(configs: readonly OAuthProviderConfig[]): OAuthProvider[] {
  return configs.map((config) => {
    switch (config.kind) {
      case 'oidc':
        return new OIDCProvider(config)
      case 'github':
        return new GitHubProvider(config)
      case 'facebook':
        return new FacebookProvider(config)
    }
  })
}
