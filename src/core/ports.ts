// The ports core needs from the outside world. Each is shaped around what the domain needs to
// happen atomically, not around tables: every adapter passes test/storage/store-conformance.ts.
import type {
  AuditEvent,
  AuditQuery,
  LoginAttemptDecision,
  LoginThrottlePolicy,
  NewAuditEvent,
  NewRefreshToken,
  NewSession,
  NewOneTimeToken,
  NewUser,
  OneTimeTokenConsumeResult,
  OneTimeTokenPurpose,
  Page,
  ExternalIdentity,
  TotpFactor,
  WebAuthnCredential,
  RefreshConsumeResult,
  RevokeReason,
  Session,
  User,
  UserPatch,
  UserQuery,
  UserWithPassword,
} from './types.js'

/** Users. Unique-key violations come back as `AuthError('email_taken' | 'username_taken')`. */
export interface UserStore {
  create(user: NewUser): Promise<User>
  /**
   * The bulk import's path: all the users in a few multi-row inserts, a round trip per few hundred
   * users instead of one each. All or nothing when run in a transaction, as the import runs it: a
   * taken email or username fails the call with `email_taken` or `username_taken`.
   */
  createMany(users: readonly NewUser[]): Promise<User[]>
  findById(id: string): Promise<User | null>
  findByIdWithPassword(id: string): Promise<UserWithPassword | null>
  /** `email` is already normalised by core. */
  findByEmailWithPassword(email: string): Promise<UserWithPassword | null>
  /** `usernameKey` is the case-folded username. */
  findByUsernameKeyWithPassword(usernameKey: string): Promise<UserWithPassword | null>
  /** Returns null for an unknown id. */
  update(id: string, patch: UserPatch, now: Date): Promise<User | null>
  /** Newest first; `cursor` is the last id of the previous page. */
  list(query: UserQuery): Promise<Page<User>>
  count(): Promise<number>
}

export interface SessionStore {
  create(session: NewSession): Promise<Session>
  findById(id: string): Promise<Session | null>
  /** The hot path: the session and its user in one lookup; null when either is missing. */
  findWithUser(id: string): Promise<{ session: Session; user: User } | null>
  touch(id: string, lastSeenAt: Date): Promise<void>
  /** True when this call revoked it; false if it was unknown or already revoked. */
  revoke(id: string, reason: RevokeReason, now: Date): Promise<boolean>
  /** Revokes every active session of the user but `exceptId`; returns the ids it revoked. */
  revokeAllForUser(
    userId: string,
    reason: RevokeReason,
    now: Date,
    exceptId?: string,
  ): Promise<string[]>
  /** Active (not revoked, not past `expiresAt`) sessions, newest first. */
  listActiveForUser(userId: string, now: Date): Promise<Session[]>
  /**
   * Housekeeping: deletes at most `limit` sessions whose absolute expiry is before `before`,
   * oldest first, with their refresh tokens; returns how many it deleted.
   */
  deleteExpired(before: Date, limit: number): Promise<number>
}

export interface RefreshTokenRecord {
  readonly tokenHash: Uint8Array
  readonly sessionId: string
  readonly createdAt: Date
  readonly expiresAt: Date
  readonly spentAt: Date | null
}

export interface RefreshConsumeInput {
  readonly presentedHash: Uint8Array
  /** Stored, bound to the same session, only by the presentation that wins the race. */
  readonly successor: Omit<NewRefreshToken, 'sessionId'>
  readonly now: Date
  readonly graceSeconds: number
}

export interface RefreshTokenStore {
  issue(token: NewRefreshToken): Promise<void>
  findByHash(tokenHash: Uint8Array): Promise<RefreshTokenRecord | null>
  /**
   * Atomically marks the presented token spent and stores its successor. Of any number of
   * concurrent calls with one token exactly one gets `rotated`; the others get `grace` (within
   * `graceSeconds` of the first) or `reused`. Null for an unknown token.
   */
  consume(input: RefreshConsumeInput): Promise<RefreshConsumeResult | null>
}

export interface AuditStore {
  /** Appends in the order given, chained, under one lock on the chain head. */
  append(...events: NewAuditEvent[]): Promise<void>
  /** Newest first. */
  query(query: AuditQuery): Promise<Page<AuditEvent>>
  /** Walks the hash chain (each event's hash covers its content and the previous hash). */
  verifyChain(): Promise<AuditChainVerdict>
}

/** Per-account login throttle, keyed by a hash of the normalised identifier (known or not). */
export interface LoginThrottleStore {
  /**
   * Atomically counts one attempt and says whether it may proceed. Counting before the password
   * check means N parallel guesses cannot all slip through before the first failure is recorded.
   */
  registerAttempt(
    key: string,
    now: Date,
    policy: LoginThrottlePolicy,
  ): Promise<LoginAttemptDecision>
  /** After a successful login. */
  clear(key: string): Promise<void>
  /**
   * Housekeeping: forgets at most `limit` keys with no attempt since `before` and no lock in
   * force at `now`, oldest first; returns how many it deleted.
   */
  deleteIdle(before: Date, now: Date, limit: number): Promise<number>
}

export interface StoredSigningKey {
  readonly kid: string
  readonly alg: 'EdDSA'
  /** Public JWK as JSON. */
  readonly publicJwk: string
  /** Private JWK, encrypted with the instance secret (never plaintext at rest). */
  readonly privateJwkEncrypted: string
  readonly createdAt: Date
}

export interface KeyStore {
  listSigningKeys(): Promise<StoredSigningKey[]>
  addSigningKey(key: StoredSigningKey): Promise<void>
}

/** Email verification, password reset, MFA login tickets, WebAuthn challenges. */
export interface OneTimeTokenStore {
  /** With `voidOthers`, the user's earlier unused tokens of the same purpose are voided in the same step. */
  issue(token: NewOneTimeToken, options?: { readonly voidOthers?: boolean }): Promise<void>
  /**
   * Atomically marks the token used. Of concurrent calls exactly one gets `consumed`; the rest
   * `used`. A token of another purpose is unknown (null).
   */
  consume(
    tokenHash: Uint8Array,
    purpose: OneTimeTokenPurpose,
    now: Date,
  ): Promise<OneTimeTokenConsumeResult | null>
  /** Voids every unused token of the purpose for the user (e.g. after a password change). */
  voidForUser(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<number>
  /**
   * Housekeeping: deletes at most `limit` tokens that expired before `before` (used, voided or
   * not), oldest first; returns how many it deleted.
   */
  deleteExpired(before: Date, limit: number): Promise<number>
}

export interface MfaStore {
  findTotp(userId: string): Promise<TotpFactor | null>
  /** Replaces any unconfirmed factor; refuses (false) when one is already enabled. */
  savePendingTotp(userId: string, secretEncrypted: string, now: Date): Promise<boolean>
  /**
   * Atomically accepts a time step: true only if it is greater than the last accepted step (the
   * update is conditional), so a code is never accepted twice, even concurrently (SEC-MFA-03).
   */
  acceptTotpStep(userId: string, step: number): Promise<boolean>
  /** Marks the pending factor enabled and sets users.mfa_enabled. */
  enableTotp(userId: string, now: Date): Promise<boolean>
  /** Removes the factor and the recovery codes; clears users.mfa_enabled. */
  disableTotp(userId: string): Promise<void>
  /** Deletes the old set and stores the new hashes in one step. */
  replaceRecoveryCodes(userId: string, codeHashes: readonly Uint8Array[], now: Date): Promise<void>
  /** Atomically spends one code; true for exactly one of concurrent calls. */
  useRecoveryCode(userId: string, codeHash: Uint8Array, now: Date): Promise<boolean>
  countRecoveryCodes(userId: string): Promise<number>
}

export interface WebAuthnStore {
  add(credential: WebAuthnCredential): Promise<void>
  findById(id: string): Promise<WebAuthnCredential | null>
  listForUser(userId: string): Promise<WebAuthnCredential[]>
  /** Stores the new signature counter only if it grew (or both are 0), atomically. */
  recordUse(id: string, counter: number, now: Date): Promise<boolean>
  delete(userId: string, id: string): Promise<boolean>
}

export interface IdentityStore {
  /** Unique on (issuer, subject): linking an identity that is already linked returns false. */
  link(identity: ExternalIdentity): Promise<boolean>
  findByIssuerSubject(issuer: string, subject: string): Promise<ExternalIdentity | null>
  listForUser(userId: string): Promise<ExternalIdentity[]>
  unlink(userId: string, id: string): Promise<boolean>
  /**
   * Removes the user's identity unless it is their last way to sign in (no password, no passkey,
   * no other identity). Decided under a lock on the user's row, so two concurrent unlinks cannot
   * both pass the check and leave the account with no way in.
   */
  unlinkUnlessLast(userId: string, id: string): Promise<UnlinkResult>
}

export type UnlinkResult =
  | { readonly kind: 'unlinked'; readonly identity: ExternalIdentity }
  /** Unknown, or another user's. */
  | { readonly kind: 'not_found' }
  | { readonly kind: 'last_sign_in' }

/** The parts of the store a transaction sees. */
export interface StoreTx {
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly refreshTokens: RefreshTokenStore
  readonly audit: AuditStore
  readonly oneTimeTokens: OneTimeTokenStore
  readonly mfa: MfaStore
  readonly webauthn: WebAuthnStore
  readonly identities: IdentityStore
}

/**
 * The storage port. Everything an audit event records is written in the same transaction as the
 * event (`store.transaction(async (tx) => { ...; await tx.audit.append(event) })`).
 */
export interface Store extends StoreTx {
  readonly loginThrottle: LoginThrottleStore
  readonly keys: KeyStore
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>
  /** Answers when the database does; used by /readyz. */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface Clock {
  now(): Date
}

export interface PasswordVerifyResult {
  readonly valid: boolean
  /** The stored hash is not argon2id at the current parameters (imported bcrypt, weaker argon2). */
  readonly needsRehash: boolean
}

/** argon2id off the event loop. A full queue throws `AuthError('service_unavailable')`. */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  /**
   * `signal`: the caller has gone away (RequestContext.signal). A check still waiting for a
   * thread is then dropped and rejects; one already running finishes.
   */
  verify(hash: string, password: string, signal?: AbortSignal): Promise<PasswordVerifyResult>
  /** Spends the same work as a real verify; used for unknown users. */
  verifyDummy(password: string, signal?: AbortSignal): Promise<void>
  /** True while new work would be refused (queue full): callers shed before doing any I/O. */
  saturated?(): boolean
  close(): Promise<void>
}

export interface RateLimitDecision {
  readonly allowed: boolean
  readonly retryAfterSeconds: number
}

/** Fixed-window counters (memory on one node, Redis when shared). */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>
  close(): Promise<void>
}

/** A session with its user, as the hot path reads them (`SessionStore.findWithUser`). */
export interface CachedSession {
  readonly session: Session
  readonly user: User
}

/**
 * A miss carries a fill ticket: `set` with a ticket taken before an invalidation that has
 * happened since is dropped, so a slow reader never puts back a session revoked meanwhile.
 * `ticket: null` means "do not fill" (the cache's service is away).
 */
export type SessionCacheLookup =
  | { readonly entry: CachedSession; readonly ticket?: undefined }
  | { readonly entry: null; readonly ticket: string | null }

export interface SessionInvalidation {
  readonly sessionIds: readonly string[]
  /** Every cached session of these users (their user row changed). */
  readonly userIds: readonly string[]
}

/**
 * The session-status cache in front of `SessionStore.findWithUser` (Redis, shared by the nodes).
 * Core invalidates it after every change to a session or user row (core/sessions/session-cache.ts),
 * on every node at once. No method rejects: a cache that cannot reach its service answers misses
 * without a ticket, and keeps the invalidations it could not deliver (refusing to serve the
 * entries they name) until it can. It never turns an outage into "allow".
 */
export interface SessionCache {
  get(sessionId: string): Promise<SessionCacheLookup>
  /**
   * Optional: the entry when this cache can vouch for it at once, without I/O or waiting (the
   * SQLite one can: it sees every commit). Null means "ask `get`", never "no such session". The
   * Redis cache has none: its local hits must first let pending invalidations arrive.
   */
  peek?(sessionId: string): CachedSession | null
  set(entry: CachedSession, ticket: string): Promise<void>
  /** Moves a cached entry's `lastSeenAt` forward; never creates an entry. */
  touch(sessionId: string, lastSeenAt: Date): Promise<void>
  invalidate(change: SessionInvalidation): Promise<void>
  close(): Promise<void>
}

/** An application log that core may write to; adapters must redact. */
export interface Logger {
  info(obj: Record<string, unknown>, msg: string): void
  warn(obj: Record<string, unknown>, msg: string): void
  error(obj: Record<string, unknown>, msg: string): void
}

/** Copies audit events somewhere outside the database (the AUDIT_LOG_FILE JSON-lines file). */
export interface AuditSink {
  write(event: AuditEvent): void
}

/** One mail as a transport sees it: every mail Latchkey sends has a plain-text and an HTML part. */
export interface MailMessage {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

/**
 * Delivers one message now (SMTP, the dev outbox, a provider's API). Rejects when it could not;
 * an error with `permanent: true` (a 5xx refusal, a header with CR/LF) is not retried.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>
}

/**
 * What core asks to have mailed. The words and the links are the mail adapter's: links are built
 * from the configured PUBLIC_URL, never from a request's Host header (SEC-RESET-05).
 */
export type AccountMail =
  | {
      readonly kind: 'verify_email' | 'reset_password'
      readonly to: string
      /** The plaintext link token; it exists only in this mail, the store keeps its hash. */
      readonly token: string
      readonly validForSeconds: number
    }
  | { readonly kind: 'password_changed' | 'password_reset'; readonly to: string; readonly at: Date }

/**
 * Takes mail for background delivery and returns at once: a slow, down or refusing mail server
 * never delays or fails the request that sends it (retries with backoff happen behind it).
 */
export interface MailQueue {
  enqueue(mail: AccountMail): void
}

export type AuditChainVerdict =
  | { readonly ok: true; readonly count: number }
  | {
      readonly ok: false
      readonly count: number
      readonly brokenAtId: string
      readonly reason: string
    }
