import type { AuthSettings } from './auth-options.js'
import type { MfaAuth } from './mfa/mfa-api.js'
import type { OAuthAuth } from './oauth/oauth-api.js'
import type {
  AuditEvent,
  AuditEventType,
  Page,
  Profile,
  RequestContext,
  Role,
  Session,
  User,
} from './types.js'

export interface RegisterInput {
  readonly email: string
  readonly password: string
  readonly username?: string | undefined
  readonly name?: string | undefined
  readonly profile?: Readonly<Record<string, unknown>> | undefined
}

/** Exactly one of email and username identifies the account. */
export interface LoginInput {
  readonly email?: string | undefined
  readonly username?: string | undefined
  readonly password: string
}

export interface IssuedTokens {
  /** JWT; carries sub, sid, iat, exp, iss, aud, jti. */
  readonly accessToken: string
  readonly tokenType: 'bearer'
  readonly expiresIn: number
  readonly refreshToken: string
  /** `id.secret`, the value of the session cookie; null on refresh (the cookie stays as it is). */
  readonly sessionToken: string | null
  readonly sessionExpiresAt: Date
  readonly session: Session
  readonly user: User
}

export type LoginResult =
  | { readonly kind: 'tokens'; readonly tokens: IssuedTokens }
  /**
   * The password was right but 2FA is on: no session exists yet (SEC-SESS-08). `mfaToken` is a
   * single-use ticket for `completeMfaLogin`, bound to the user, valid until `expiresAt` (5 min).
   */
  | { readonly kind: 'mfa_required'; readonly mfaToken: string; readonly expiresAt: Date }

export type Credential =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'cookie'; readonly token: string }

/** An authenticated caller: a live session and its user, as of this request. */
export interface Principal {
  readonly user: User
  readonly session: Session
  readonly via: Credential['kind']
}

export interface ProfilePatchInput {
  readonly name?: string | null | undefined
  readonly username?: string | null | undefined
  readonly profile?: Readonly<Record<string, unknown>> | undefined
}

export interface PasswordChangeInput {
  readonly currentPassword: string
  readonly newPassword: string
}

export interface PasswordResetInput {
  /** The token from the reset link. */
  readonly token: string
  readonly newPassword: string
}

export interface SessionView {
  readonly session: Session
  readonly current: boolean
}

export interface AdminUserPatch {
  readonly role?: Role | undefined
  readonly disabled?: boolean | undefined
  readonly emailVerified?: boolean | undefined
  /** Only `false`: resets the user's 2FA (lost device); 2FA is turned on by the user alone. */
  readonly mfaEnabled?: false | undefined
}

export interface AdminCreateUserInput extends RegisterInput {
  readonly role?: Role | undefined
  readonly emailVerified?: boolean | undefined
}

/** One line of `latchkey users import`: a password or an existing bcrypt/argon2 hash. */
export interface ImportUserInput {
  readonly email: string
  readonly username?: string | undefined
  readonly name?: string | undefined
  readonly role?: Role | undefined
  readonly emailVerified?: boolean | undefined
  readonly password?: string | undefined
  readonly passwordHash?: string | undefined
  readonly profile?: Readonly<Record<string, unknown>> | undefined
}

export interface AuditListQuery {
  readonly type?: AuditEventType | undefined
  readonly userId?: string | undefined
  readonly since?: Date | undefined
  readonly until?: Date | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
}

export interface UserListQuery {
  readonly q?: string | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
}

export interface JSONWebKeySet {
  readonly keys: readonly Record<string, unknown>[]
}

/**
 * The object the HTTP layer, the pages and the CLI call. Every method either returns a value or
 * throws `AuthError`; nothing here knows HTTP.
 */
export interface Auth extends MfaAuth, OAuthAuth {
  readonly settings: AuthSettings
  register(input: RegisterInput, ctx: RequestContext): Promise<User>
  login(input: LoginInput, ctx: RequestContext): Promise<LoginResult>
  refresh(refreshToken: string, ctx: RequestContext): Promise<IssuedTokens>
  /** Throws not_authenticated, session_revoked or token_expired. */
  authenticate(credential: Credential): Promise<Principal>
  /**
   * `authenticate`'s warm path without a promise: the principal when caches alone can vouch for
   * it, else null, and then `authenticate` must decide (null is never a refusal).
   */
  authenticateWarm(credential: Credential): Principal | null
  logout(principal: Principal, ctx: RequestContext): Promise<void>
  logoutAll(principal: Principal, ctx: RequestContext): Promise<void>
  updateMe(principal: Principal, patch: ProfilePatchInput, ctx: RequestContext): Promise<User>
  changePassword(
    principal: Principal,
    input: PasswordChangeInput,
    ctx: RequestContext,
  ): Promise<void>
  listSessions(principal: Principal): Promise<SessionView[]>
  /** 404 (`not_found`) for a session that is not the caller's. */
  revokeSession(principal: Principal, sessionId: string, ctx: RequestContext): Promise<void>

  /** Marks the address verified. 400 `invalid_token`, `token_expired` or `token_used`. */
  verifyEmail(token: string, ctx: RequestContext): Promise<User>
  /** Mails a fresh verification link unless the address is verified; 429 `rate_limited`. */
  resendVerification(principal: Principal, ctx: RequestContext): Promise<void>
  /**
   * Answers the same way, in the same time, whether or not an account has the address
   * (SEC-ENUM-03); the link is issued and mailed in the background. 429 per address.
   */
  requestPasswordReset(email: string, ctx: RequestContext): Promise<void>
  /**
   * Sets the password, ends every session and voids other reset links; does not sign in.
   * 400 `invalid_token`, `token_expired` or `token_used`; 422 for a weak password.
   */
  resetPassword(input: PasswordResetInput, ctx: RequestContext): Promise<void>

  /** Admin only (403 `forbidden` otherwise). */
  listUsers(principal: Principal, query: UserListQuery): Promise<Page<User>>
  getUser(principal: Principal, userId: string): Promise<User>
  updateUser(
    principal: Principal,
    userId: string,
    patch: AdminUserPatch,
    ctx: RequestContext,
  ): Promise<User>
  revokeUserSessions(principal: Principal, userId: string, ctx: RequestContext): Promise<void>

  /** A user may read their own events, an admin anyone's. */
  listUserEvents(
    principal: Principal,
    userId: string,
    query: AuditListQuery,
  ): Promise<Page<AuditEvent>>
  /** Admin only. */
  listEvents(principal: Principal, query: AuditListQuery): Promise<Page<AuditEvent>>

  /** Bootstrap and operations paths (CLI); no principal, the operator is trusted. */
  createUser(input: AdminCreateUserInput, ctx: RequestContext): Promise<User>
  setRole(emailOrId: string, role: Role, ctx: RequestContext): Promise<User>
  importUser(input: ImportUserInput, ctx: RequestContext): Promise<User>
  /** Pre-hashed users in one transaction, all or nothing (`users import --bulk`); answers the count. */
  importUsersBatch(inputs: readonly ImportUserInput[], ctx: RequestContext): Promise<number>
  findUser(emailOrId: string): Promise<User | null>
  listAllUsers(query: UserListQuery): Promise<Page<User>>

  /** Every signing key's public half: the newest signs, all of them verify. */
  jwks(): JSONWebKeySet
  /** Rereads the signing keys now (they are also reread every minute and on an unknown `kid`). */
  reloadSigningKeys(): Promise<void>
  /** True when the store answers. */
  isReady(): Promise<boolean>
  close(): Promise<void>
}

export type { Profile }
