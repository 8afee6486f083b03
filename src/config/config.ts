import type { AuthSettings } from '../core/auth-options.js'
import type { OAuthProviderConfig } from './oauth-providers.js'
import type { MailAddress } from './parse-mail.js'
import type { IntrospectionClient, MetricsSettings } from './parse-operations.js'

/** HTTP-only settings (the plugin's options). */
export interface HttpSettings {
  /** Origin + optional path prefix, no trailing slash, e.g. `http://localhost:3000`. */
  readonly publicUrl: string
  /** True when publicUrl is https: HSTS, and the cookie is Secure either way. */
  readonly https: boolean
  /** Origins allowed to make credentialed cross-origin calls (CORS); empty = none. */
  readonly corsOrigins: readonly string[]
  readonly bodyLimitBytes: number
  readonly production: boolean
}

/** Outgoing mail (verification, reset, notices). */
export interface MailSettings {
  /** `smtp://` or `smtps://`, credentials included; null means the in-memory dev outbox. */
  readonly smtpUrl: string | null
  readonly from: MailAddress
}

/** The whole configuration, parsed once from the environment and frozen (config/env.ts). */
export interface Config {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  readonly redisUrl: string | null
  /** Namespace of every Redis key and channel (`latchkey:`); one per deployment sharing a Redis. */
  readonly redisKeyPrefix: string
  /** Base64 or hex, 32+ bytes; when null the secret is generated and kept in `secretKeyFile`. */
  readonly secretKey: Uint8Array | null
  readonly secretKeyFile: string
  readonly auditLogFile: string | null
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** false, or the proxy addresses/CIDRs whose X-Forwarded-For is believed. */
  readonly trustProxy: false | readonly string[]
  readonly passwordHashThreads: number
  readonly passwordHashMaxQueue: number
  readonly http: HttpSettings
  /** Resource servers that may call POST /oauth/introspect (INTROSPECTION_CLIENTS); none by default. */
  readonly introspectionClients: readonly IntrospectionClient[]
  readonly metrics: MetricsSettings
  readonly auth: AuthSettings
  readonly mail: MailSettings
  /** Social-login providers (GOOGLE_*, GITHUB_*, FACEBOOK_*, OIDC_<NAME>_*); none by default. */
  readonly oauthProviders: readonly OAuthProviderConfig[]
}
