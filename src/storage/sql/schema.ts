// Kysely table types: the SQL side of the domain types, snake_case, one shape on all three
// databases. Representation choices, made once so every dialect and `db copy` agree:
// - timestamps are integer epoch milliseconds (BIGINT): no time zones, no driver date parsing;
// - flags are INTEGER 0/1: better-sqlite3 cannot bind booleans and MySQL has no real boolean;
// - hashes are lower-case hex text, so they can be primary keys on MySQL without a length prefix;
// - JSON (profile, audit data) is text written by this store.
import type { OneTimeTokenPurpose, RevokeReason, Role } from '../../core/types.js'

export type Flag = 0 | 1

export interface UsersTable {
  id: string
  email: string
  username: string | null
  /** Case-folded username; unique, NULL for users without one (NULLs never collide). */
  username_key: string | null
  name: string | null
  role: Role
  email_verified: Flag
  mfa_enabled: Flag
  disabled: Flag
  password_hash: string | null
  profile: string
  created_at: number
  updated_at: number
}

export interface SessionsTable {
  id: string
  user_id: string
  secret_hash: string
  created_at: number
  last_seen_at: number
  expires_at: number
  ip: string | null
  user_agent: string | null
  revoked_at: number | null
  revoke_reason: RevokeReason | null
}

export interface RefreshTokensTable {
  token_hash: string
  session_id: string
  created_at: number
  expires_at: number
  spent_at: number | null
}

export interface AuditEventsTable {
  /** Position in the hash chain: 1, 2, 3 … without gaps, assigned under the chain-head lock. */
  seq: number
  id: string
  at: number
  type: string
  user_id: string | null
  actor_id: string | null
  session_id: string | null
  ip: string | null
  user_agent: string | null
  /** Canonical JSON (sorted keys); hashed exactly as stored. */
  data: string
  prev_hash: string
  hash: string
}

/** One row (id = 1): the end of the audit chain. Locking it serialises appends. */
export interface AuditChainHeadTable {
  id: number
  seq: number
  hash: string
}

export interface LoginThrottleTable {
  key: string
  attempts: number
  locked_until: number | null
  updated_at: number
}

export interface SigningKeysTable {
  kid: string
  alg: string
  public_jwk: string
  private_jwk_encrypted: string
  created_at: number
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  refresh_tokens: RefreshTokensTable
  audit_events: AuditEventsTable
  audit_chain_head: AuditChainHeadTable
  login_throttle: LoginThrottleTable
  signing_keys: SigningKeysTable
  one_time_tokens: OneTimeTokensTable
  totp_factors: TotpFactorsTable
  recovery_codes: RecoveryCodesTable
  webauthn_credentials: WebAuthnCredentialsTable
  external_identities: ExternalIdentitiesTable
}

/** Unique constraint names; errors.ts maps violations of these to domain codes. */
export const USERS_EMAIL_UNIQUE = 'users_email_unique'
export const USERS_USERNAME_KEY_UNIQUE = 'users_username_key_unique'

// 0002: one-time tokens, MFA factors, WebAuthn credentials, external identities.

export interface OneTimeTokensTable {
  token_hash: string
  purpose: OneTimeTokenPurpose
  user_id: string | null
  email: string | null
  data: string
  created_at: number
  expires_at: number
  used_at: number | null
  /** Superseded by a newer token of the purpose, or by a password change. */
  voided_at: number | null
}

export interface TotpFactorsTable {
  user_id: string
  secret_encrypted: string
  enabled_at: number | null
  last_used_step: number | null
  created_at: number
}

export interface RecoveryCodesTable {
  user_id: string
  code_hash: string
  created_at: number
  used_at: number | null
}

export interface WebAuthnCredentialsTable {
  id: string
  user_id: string
  public_key: string
  counter: number
  /** JSON array of strings. */
  transports: string
  name: string | null
  created_at: number
  last_used_at: number | null
}

export interface ExternalIdentitiesTable {
  id: string
  user_id: string
  issuer: string
  subject: string
  provider: string
  email: string | null
  created_at: number
}

export const EXTERNAL_IDENTITIES_ISSUER_SUBJECT_UNIQUE = 'external_identities_issuer_subject_unique'
