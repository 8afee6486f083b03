import type { OAuthProvider } from './oauth/provider.js'
import type { KeyRingOptions } from './tokens/key-ring.js'
import type { SweeperOptions } from './maintenance/sweeper.js'
import type {
  AuditSink,
  Clock,
  Logger,
  MailQueue,
  PasswordHasher,
  RateLimiter,
  SessionCache,
  Store,
} from './ports.js'

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
  /** How long a verification link works (EMAIL_VERIFICATION_TTL, 24 h by default). */
  readonly emailVerificationTtlSeconds: number
  /** How long a reset link works (PASSWORD_RESET_TTL, 30 min by default; SEC-RESET-02). */
  readonly passwordResetTtlSeconds: number
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
  /**
   * Optional (Redis): lets a warm session check skip the store. Only wire one that every node
   * shares and that hears every node's invalidations; a per-process cache would let one node
   * honour a session another node revoked.
   */
  readonly sessionCache?: SessionCache
  /** 32+ bytes; HMAC and encryption keys are derived from it (HKDF), never used directly. */
  readonly secret: Uint8Array
  readonly clock?: Clock
  readonly logger?: Logger
  readonly auditSink?: AuditSink
  /** Where account mail goes (verification, reset, notices); without it no mail is sent. */
  readonly mail?: MailQueue
  /** How often signing keys are reread (default every minute); see tokens/key-ring.ts. */
  readonly keyRing?: KeyRingOptions
  /**
   * When expired sessions, one-time tokens and idle throttle keys are deleted (default every 10
   * minutes); see maintenance/sweeper.ts.
   */
  readonly sweeper?: SweeperOptions
  /** Social-login providers (src/oauth/ adapters); none by default. */
  readonly oauthProviders?: readonly OAuthProvider[]
}
