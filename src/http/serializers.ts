// The only place where domain values meet the wire (snake_case). Each encoder names the fields it
// lets out, so a field added to a domain type (a hash, a secret) stays inside until someone adds
// it here on purpose (Lucia: encodeSessionPublicJSON). Decoders turn validated bodies into core
// inputs; the TypeBox schemas have already refused unknown fields and wrong types.
import type { Static } from '@sinclair/typebox'
import type {
  AdminUserPatch,
  AuditListQuery,
  IssuedTokens,
  JSONWebKeySet,
  LoginResult,
  LoginInput,
  PasswordChangeInput,
  PasswordResetInput,
  SessionView,
} from '../core/auth-api.js'
import { validationFailed } from '../core/errors.js'
import type { MfaStatus, Passkey, TotpSetup } from '../core/mfa/mfa-api.js'
import type { AuditEvent, ExternalIdentity, Page, User } from '../core/types.js'
import type { AuditEventJSON, AuditQuery, UserEventsQuery } from './schemas/audit.js'
import type { IdentityJSON } from './schemas/oauth.js'
import type { LoginBody, PasswordChangeBody, TokensJSON } from './schemas/auth.js'
import type { ResetPasswordBody } from './schemas/email.js'
import type { MfaRequiredJSON, MfaStatusJSON, TotpSetupJSON } from './schemas/mfa.js'
import type { PasskeyJSON } from './schemas/passkeys.js'
import type { JWKJSON, JWKSJSON } from './schemas/service.js'
import type { SessionJSON } from './schemas/session.js'
import type { AdminUserPatchBody, UserJSON } from './schemas/user.js'

/** `make`, run once per object: later calls with the same object get the first result. */
function oncePerObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>()
  return (key) => {
    let value = made.get(key)
    if (value === undefined) {
      value = make(key)
      made.set(key, value)
    }
    return value
  }
}

// Core's User objects are immutable, and a warm session check hands out the same one on every
// request: its wire form (two toISOString calls and a profile copy) is made once per object,
// frozen because the one object is shared by every answer about this user object.
export const encodeUser: (user: User) => UserJSON = oncePerObject((user: User) =>
  Object.freeze(buildUserJSON(user)),
)

/** What Fastify's serializer labels JSON with; a route sending JSON text labels it the same. */
export const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * The same wire form as JSON text, made once per user object: GET /auth/me sends it as it is,
 * and so does the warm /auth/me lane (warm-me-lane.ts), so both answer byte for byte alike.
 */
export const encodeUserText: (user: User) => string = oncePerObject((user: User) =>
  JSON.stringify(encodeUser(user)),
)

function buildUserJSON(user: User): UserJSON {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    role: user.role,
    email_verified: user.emailVerified,
    mfa_enabled: user.mfaEnabled,
    disabled: user.disabled,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
    profile: { ...user.profile },
  }
}

/** The session token is not here: it travels only in the HttpOnly cookie. */
export function encodeTokens(tokens: IssuedTokens): TokensJSON {
  return {
    access_token: tokens.accessToken,
    token_type: 'bearer',
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    user: encodeUser(tokens.user),
  }
}

export function encodeSessionView(view: SessionView): SessionJSON {
  const { session } = view
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    ip: session.ip,
    user_agent: session.userAgent,
    current: view.current,
  }
}

export function encodeAuditEvent(event: AuditEvent): AuditEventJSON {
  return {
    id: event.id,
    at: event.at.toISOString(),
    type: event.type,
    user_id: event.userId,
    actor_id: event.actorId,
    session_id: event.sessionId,
    ip: event.ip,
    user_agent: event.userAgent,
    data: { ...event.data },
  }
}

export function encodePage<T, J>(
  page: Page<T>,
  encode: (item: T) => J,
): { items: J[]; next_cursor: string | null } {
  return { items: page.items.map(encode), next_cursor: page.nextCursor }
}

const PUBLIC_JWK_MEMBERS = ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y', 'n', 'e'] as const

/** Copies only public key members, so a private `d`, `p` or `q` can never be published. */
export function encodeJWKS(set: JSONWebKeySet): JWKSJSON {
  return {
    keys: set.keys.map((key) => {
      const out: Record<string, string> = {}
      for (const member of PUBLIC_JWK_MEMBERS) {
        const value = key[member]
        if (typeof value === 'string') out[member] = value
      }
      return { ...out, kty: out['kty'] ?? '' } satisfies JWKJSON
    }),
  }
}

export function decodeLogin(body: Static<typeof LoginBody>): LoginInput {
  const given = (body.email === undefined ? 0 : 1) + (body.username === undefined ? 0 : 1)
  if (given !== 1) {
    const path = body.email === undefined ? '/email' : '/username'
    throw validationFailed([{ path, message: 'Give exactly one of email and username.' }])
  }
  return { email: body.email, username: body.username, password: body.password }
}

export function decodePasswordChange(body: Static<typeof PasswordChangeBody>): PasswordChangeInput {
  return { currentPassword: body.current_password, newPassword: body.new_password }
}

export function decodePasswordReset(body: Static<typeof ResetPasswordBody>): PasswordResetInput {
  return { token: body.token, newPassword: body.new_password }
}

export function decodeAdminUserPatch(body: Static<typeof AdminUserPatchBody>): AdminUserPatch {
  return {
    role: body.role,
    disabled: body.disabled,
    emailVerified: body.email_verified,
    mfaEnabled: body.mfa_enabled,
  }
}

type AuditQueryWire = Static<typeof AuditQuery> | Static<typeof UserEventsQuery>

export function decodeAuditQuery(query: AuditQueryWire): AuditListQuery {
  return {
    type: query.type,
    userId: 'user_id' in query ? query.user_id : undefined,
    since: query.since === undefined ? undefined : new Date(query.since),
    until: query.until === undefined ? undefined : new Date(query.until),
    limit: query.limit,
    cursor: query.cursor,
  }
}

/** The mfa_token travels in the body: it is no session, and no cookie is set (SEC-SESS-08). */
export function encodeMfaRequired(
  result: Extract<LoginResult, { kind: 'mfa_required' }>,
): MfaRequiredJSON {
  // Like the cookie's Max-Age, measured against real time: it is the client that waits.
  const expiresIn = Math.floor((result.expiresAt.getTime() - Date.now()) / 1000)
  return { mfa_required: true, mfa_token: result.mfaToken, expires_in: Math.max(0, expiresIn) }
}

export function encodeTotpSetup(setup: TotpSetup, qrSVG: string): TotpSetupJSON {
  return { secret: setup.secret, otpauth_url: setup.otpauthURL, qr_svg: qrSVG }
}

export function encodeMfaStatus(status: MfaStatus): MfaStatusJSON {
  return {
    enabled: status.totpEnabled,
    pending: status.totpPending,
    recovery_codes_left: status.recoveryCodesLeft,
  }
}

export function encodePasskey(passkey: Passkey): PasskeyJSON {
  return {
    id: passkey.id,
    name: passkey.name,
    created_at: passkey.createdAt.toISOString(),
    last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
  }
}

/** An outside identity as its owner sees it; the provider's subject id stays inside. */
export function encodeIdentity(identity: ExternalIdentity): IdentityJSON {
  return {
    id: identity.id,
    provider: identity.provider,
    email: identity.email,
    created_at: identity.createdAt.toISOString(),
  }
}
