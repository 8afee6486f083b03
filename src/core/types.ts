// Domain values. camelCase here; snake_case exists only on the wire (http/serializers.ts) and in
// SQL (storage/sql). Anything persisted that is secret is named ...Hash and is never plaintext.

export type Role = 'user' | 'admin'

export type ProfileValue = string | number | boolean | null
export type Profile = Readonly<Record<string, ProfileValue>>

export interface User {
  readonly id: string
  /** Trimmed and lower-cased; unique. */
  readonly email: string
  /** As the user typed it (NFKC); uniqueness is case-insensitive through `usernameKey`. */
  readonly username: string | null
  readonly name: string | null
  readonly role: Role
  readonly emailVerified: boolean
  readonly mfaEnabled: boolean
  readonly disabled: boolean
  readonly profile: Profile
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** A user together with its credential, only ever seen inside core/users. */
export interface UserWithPassword extends User {
  /** PHC string (argon2id, or an imported bcrypt/argon2 hash awaiting upgrade), or null. */
  readonly passwordHash: string | null
}

export interface NewUser {
  readonly id: string
  readonly email: string
  readonly username: string | null
  readonly usernameKey: string | null
  readonly name: string | null
  readonly role: Role
  readonly emailVerified: boolean
  readonly passwordHash: string | null
  readonly profile: Profile
  readonly createdAt: Date
}

export interface UserPatch {
  readonly name?: string | null
  readonly username?: string | null
  readonly usernameKey?: string | null
  readonly profile?: Profile
  readonly role?: Role
  readonly disabled?: boolean
  readonly emailVerified?: boolean
  readonly passwordHash?: string
}

export type RevokeReason =
  | 'logout'
  | 'logout_all'
  | 'session_policy'
  | 'password_changed'
  | 'password_reset'
  | 'admin'
  | 'account_disabled'
  | 'user_deleted_session'
  | 'refresh_reuse'

export interface Session {
  /** Public, opaque id (the JWT `sid`); the cookie carries `id.secret`, only `secretHash` is kept. */
  readonly id: string
  readonly userId: string
  readonly secretHash: Uint8Array
  readonly createdAt: Date
  readonly lastSeenAt: Date
  /** Absolute limit: nothing extends a session past it. */
  readonly expiresAt: Date
  readonly ip: string | null
  readonly userAgent: string | null
  readonly revokedAt: Date | null
  readonly revokeReason: RevokeReason | null
}

export type NewSession = Omit<Session, 'revokedAt' | 'revokeReason'>

export interface NewRefreshToken {
  readonly tokenHash: Uint8Array
  readonly sessionId: string
  readonly createdAt: Date
  readonly expiresAt: Date
}

/** The outcome of presenting a refresh token; decided atomically by the store. */
export type RefreshConsumeResult =
  /** First presentation: the token is now spent and `successor` was stored in the same step. */
  | { readonly kind: 'rotated'; readonly sessionId: string }
  /** Presented again within the grace window: the successor stored by the first presentation stands. */
  | { readonly kind: 'grace'; readonly sessionId: string }
  /** Presented after the grace window: the caller must revoke the session. */
  | { readonly kind: 'reused'; readonly sessionId: string }
  | { readonly kind: 'expired'; readonly sessionId: string }

export interface AuditEvent {
  readonly id: string
  readonly at: Date
  readonly type: AuditEventType
  readonly userId: string | null
  readonly actorId: string | null
  readonly sessionId: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly data: Readonly<Record<string, string | number | boolean | null>>
}

export type NewAuditEvent = AuditEvent

export const AUDIT_EVENT_TYPES = [
  'user.registered',
  'user.login_succeeded',
  'user.login_failed',
  'user.logout',
  'user.updated',
  'user.imported',
  'session.created',
  'session.revoked',
  'token.refreshed',
  'token.reuse_detected',
  'password.changed',
  'password.rehashed',
  'password.reset_requested',
  'password.reset_completed',
  'email.verified',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.failed',
  'mfa.recovery_codes_replaced',
  'passkey.registered',
  'passkey.deleted',
  'oauth.linked',
  'oauth.unlinked',
  'admin.user_updated',
  'admin.sessions_revoked',
] as const
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number]

export interface AuditQuery {
  readonly type?: AuditEventType
  readonly userId?: string
  readonly since?: Date
  readonly until?: Date
  readonly limit: number
  /** Opaque cursor from a previous page (the last event's id); newest first. */
  readonly cursor?: string
}

export interface Page<T> {
  readonly items: readonly T[]
  readonly nextCursor: string | null
}

export interface UserQuery {
  /** Case-insensitive substring of email, username or name. */
  readonly q?: string
  readonly limit: number
  readonly cursor?: string
}

/** Who is asking and from where; carried into audit events. */
export interface RequestContext {
  readonly ip: string | null
  readonly userAgent: string | null
  /**
   * Aborts when the client has gone away before its answer. Work that has not started yet (a
   * login's password check waiting for a hash thread) is then dropped instead of done for no one.
   */
  readonly signal?: AbortSignal
}

/** The settings the per-account login throttle works with. */
export interface LoginThrottlePolicy {
  /** Attempts allowed before delays begin. */
  readonly freeAttempts: number
  readonly baseDelaySeconds: number
  readonly maxDelaySeconds: number
}

export type LoginAttemptDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

/** What a single-use token proves; each purpose is consumed only as itself. */
export type OneTimeTokenPurpose =
  | 'email_verification'
  | 'password_reset'
  | 'mfa_login'
  | 'webauthn_challenge'
  /** The hash of an OAuth `state`: makes each sign-in answer single use (SEC-OIDC-01). */
  | 'oauth_state'

export interface NewOneTimeToken {
  readonly tokenHash: Uint8Array
  readonly purpose: OneTimeTokenPurpose
  /** Null only for challenges issued before anyone is known (passkey login). */
  readonly userId: string | null
  /** The address a verification token was sent to: it verifies that address only. */
  readonly email: string | null
  /** Small non-secret facts the purpose needs (e.g. a WebAuthn challenge). */
  readonly data: Readonly<Record<string, string | number | boolean | null>>
  readonly createdAt: Date
  readonly expiresAt: Date
}

export type OneTimeTokenConsumeResult =
  | {
      readonly kind: 'consumed'
      readonly userId: string | null
      readonly email: string | null
      readonly data: Readonly<Record<string, string | number | boolean | null>>
    }
  | { readonly kind: 'used' }
  | { readonly kind: 'expired' }
  /** Superseded by a newer token or by a password change. */
  | { readonly kind: 'voided' }

export interface TotpFactor {
  readonly userId: string
  /** The base32 secret sealed with the instance secret (AES-GCM); never stored in clear. */
  readonly secretEncrypted: string
  /** Null while set up but not yet confirmed with a first code. */
  readonly enabledAt: Date | null
  /** The last RFC 6238 time step accepted, so no code is accepted twice. */
  readonly lastUsedStep: number | null
  readonly createdAt: Date
}

export interface WebAuthnCredential {
  /** base64url credential id. */
  readonly id: string
  readonly userId: string
  /** COSE public key, base64url. */
  readonly publicKey: string
  readonly counter: number
  readonly transports: readonly string[]
  readonly name: string | null
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
}

export interface ExternalIdentity {
  readonly id: string
  readonly userId: string
  /** The provider's issuer (OIDC `iss`, or a fixed name for plain OAuth 2 providers). */
  readonly issuer: string
  /** The provider's stable subject id; identities are keyed by (issuer, subject) (SEC-OIDC-04). */
  readonly subject: string
  readonly provider: string
  readonly email: string | null
  readonly createdAt: Date
}
