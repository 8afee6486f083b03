// Rows ↔ domain values. Only storage/sql sees snake_case, hex hashes, 0/1 flags and epoch ms.
import type { Profile, ProfileValue, Session, User, UserWithPassword } from '../../core/types.js'
import type { Flag, SessionsTable, UsersTable } from './schema.js'

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function fromHex(hex: string): Uint8Array {
  // A plain Uint8Array, not a Buffer: callers compare with deepStrictEqual and subarray semantics.
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

export function toFlag(value: boolean): Flag {
  return value ? 1 : 0
}

export function toDateOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms)
}

function isScalar(value: unknown): value is ProfileValue {
  const kind = typeof value
  return value === null || kind === 'string' || kind === 'number' || kind === 'boolean'
}

/** Parses a JSON object of scalars (profile, audit data), refusing anything else. */
export function parseScalarRecord(text: string, what: string): Record<string, ProfileValue> {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(`${what} is not a JSON object`)
  }
  const record: Record<string, ProfileValue> = {}
  for (const [key, value] of Object.entries(parsed)) {
    if (!isScalar(value)) throw new TypeError(`${what} field ${key} is not a scalar`)
    record[key] = value
  }
  return record
}

/** JSON with sorted keys, so one record always serialises to the same text (audit hashes). */
export function serializeScalarRecord(record: Readonly<Record<string, ProfileValue>>): string {
  const sorted = Object.keys(record)
    .sort()
    .map((key) => [key, record[key] ?? null] as const)
  return JSON.stringify(Object.fromEntries(sorted))
}

export function serializeProfile(profile: Profile): string {
  return serializeScalarRecord(profile)
}

export type UserRow = UsersTable

export function toUserWithPassword(row: UserRow): UserWithPassword {
  return { ...toUser(row), passwordHash: row.password_hash }
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    name: row.name,
    role: row.role,
    emailVerified: row.email_verified === 1,
    mfaEnabled: row.mfa_enabled === 1,
    disabled: row.disabled === 1,
    profile: parseScalarRecord(row.profile, 'profile'),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

export function toSession(row: SessionsTable): Session {
  return {
    id: row.id,
    userId: row.user_id,
    secretHash: fromHex(row.secret_hash),
    createdAt: new Date(row.created_at),
    lastSeenAt: new Date(row.last_seen_at),
    expiresAt: new Date(row.expires_at),
    ip: row.ip,
    userAgent: row.user_agent,
    revokedAt: toDateOrNull(row.revoked_at),
    revokeReason: row.revoke_reason,
  }
}

/** Column lists, so `select *` never ships a column the mapper does not expect. */
export const USER_COLUMNS = [
  'id',
  'email',
  'username',
  'username_key',
  'name',
  'role',
  'email_verified',
  'mfa_enabled',
  'disabled',
  'password_hash',
  'profile',
  'created_at',
  'updated_at',
] as const

export const SESSION_COLUMNS = [
  'id',
  'user_id',
  'secret_hash',
  'created_at',
  'last_seen_at',
  'expires_at',
  'ip',
  'user_agent',
  'revoked_at',
  'revoke_reason',
] as const
