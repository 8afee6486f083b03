// Driver errors → domain answers. Unique-key violations on users become email_taken /
// username_taken; a database that cannot be reached (or is too busy to answer) becomes
// service_unavailable, which the HTTP layer answers with 503 and Retry-After. Anything else is a
// bug and passes through untouched.
import { AuthError, type AuthErrorCode } from '../../core/errors.js'
import { USERS_EMAIL_UNIQUE, USERS_USERNAME_KEY_UNIQUE } from './schema.js'

const CODE_BY_CONSTRAINT: Readonly<Record<string, AuthErrorCode>> = {
  [USERS_EMAIL_UNIQUE]: 'email_taken',
  [USERS_USERNAME_KEY_UNIQUE]: 'username_taken',
}

// SQLite names the columns, not the constraint: "UNIQUE constraint failed: users.email".
const CODE_BY_SQLITE_COLUMNS: Readonly<Record<string, AuthErrorCode>> = {
  'users.email': 'email_taken',
  'users.username_key': 'username_taken',
}

const UNAVAILABLE_CODES = new Set([
  // Node sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  // better-sqlite3: another process held the write lock past busy_timeout
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  // the SQLite driver's own fsync of the WAL (wal-sync.ts): the write was not acknowledged
  'EIO',
  'ENOSPC',
  // PostgreSQL SQLSTATEs: too many connections, shutting down, statement or lock timeout,
  // deadlock and serialization failure (both safe to retry).
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '55P03',
  '40001',
  '40P01',
])

// pg reports some client-side failures only by message.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
  "Can't add new command when connection is in closed state",
]

function stringProp(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined
  const prop: unknown = Reflect.get(value, key)
  return typeof prop === 'string' ? prop : undefined
}

/**
 * The unique key a violation names: the constraint (PostgreSQL), the key (MySQL) or, as SQLite
 * reports it, the columns ("users.email"). Undefined for any other error.
 */
export function violatedUniqueKey(error: unknown): string | undefined {
  const code = stringProp(error, 'code')
  const message = stringProp(error, 'message') ?? ''
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return /constraint failed: (.+)$/.exec(message)?.[1]
  }
  if (code === '23505') return stringProp(error, 'constraint')
  if (code === 'ER_DUP_ENTRY') {
    // MariaDB: "for key 'users_email_unique'"; MySQL 8: "for key 'users.users_email_unique'".
    return /for key '(?:[^'.]*\.)?([^']+)'/.exec(message)?.[1]
  }
  return undefined
}

function uniqueViolationCode(error: unknown): AuthErrorCode | undefined {
  const key = violatedUniqueKey(error)
  if (key === undefined) return undefined
  return stringProp(error, 'code')?.startsWith('SQLITE') === true
    ? CODE_BY_SQLITE_COLUMNS[key]
    : CODE_BY_CONSTRAINT[key]
}

// Deadlock and serialization failures roll the whole transaction back and are safe to run again.
const RETRYABLE_CODES = new Set(['40P01', '40001', 'ER_LOCK_DEADLOCK'])

/** True for a (translated) error after which the whole transaction may simply run again. */
export function isRetryableConflict(error: unknown): boolean {
  const cause = error instanceof AuthError ? error.cause : error
  const code = stringProp(cause, 'code')
  return code !== undefined && RETRYABLE_CODES.has(code)
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isUnavailable)
  const code = stringProp(error, 'code')
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true
  const message = stringProp(error, 'message') ?? ''
  return UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment))
}

/** Returns the domain error for a driver error, or the error itself when it has none. */
export function translateDriverError(error: unknown): unknown {
  if (error instanceof AuthError) return error
  const taken = uniqueViolationCode(error)
  if (taken !== undefined) return new AuthError(taken, { cause: error })
  if (isUnavailable(error)) {
    return new AuthError('service_unavailable', { retryAfterSeconds: 1, cause: error })
  }
  return error
}
