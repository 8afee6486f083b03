import type { Clock, Logger, PasswordHasher, RateLimiter, Store, AuditSink } from './ports.js'

export type SessionPolicy =
  | { readonly kind: 'single' }
  /** `max` ends the oldest sessions beyond it; null means no maximum. */
  | { readonly kind: 'multiple'; readonly max: number | null }

export type ProfileFieldType = 'string' | 'number' | 'boolean'

/** A custom profile field declared in configuration (PROFILE_FIELDS). */
export interface ProfileFieldDefinition {
  readonly name: string
  readonly type: ProfileFieldType
  readonly required: boolean
  /** For strings: longest accepted value in code points (default 200). */
  readonly maxLength?: number
}

/** Settings core works with; parsed and frozen once at start (config/env.ts). */
export interface AuthSettings {
  /** `iss` of access tokens and the base of links; no trailing slash. */
  readonly issuer: string
  /** `aud` of access tokens. */
  readonly audience: string
  readonly accessTokenTtlSeconds: number
  /** A refresh token unused for this long expires (idle limit). */
  readonly refreshTokenTtlSeconds: number
  /** A session idle for this long ends. */
  readonly sessionIdleTimeoutSeconds: number
  /** Absolute session lifetime; neither activity nor refresh extends past it. */
  readonly sessionMaxAgeSeconds: number
  readonly refreshReuseGraceSeconds: number
  readonly sessionPolicy: SessionPolicy
  readonly passwordMinLength: number
  readonly passwordMaxLength: number
  readonly profileFields: readonly ProfileFieldDefinition[]
  readonly requireEmailVerification: boolean
  readonly rateLimit: boolean
  readonly loginThrottle: {
    readonly freeAttempts: number
    readonly baseDelaySeconds: number
    readonly maxDelaySeconds: number
  }
}

/** What createAuth wires together: adapters come from the composition root (server.ts, cli/). */
export interface AuthDeps {
  readonly settings: AuthSettings
  readonly store: Store
  readonly hasher: PasswordHasher
  readonly rateLimiter: RateLimiter
  /** 32+ bytes; HMAC and encryption keys are derived from it (HKDF), never used directly. */
  readonly secret: Uint8Array
  readonly clock?: Clock
  readonly logger?: Logger
  readonly auditSink?: AuditSink
}
