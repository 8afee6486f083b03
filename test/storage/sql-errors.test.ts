// Driver errors as each driver shapes them (codes, constraint names, messages), including
// shapes the local services cannot produce (MySQL 8 names keys `table.key`).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AuthError } from '../../src/core/errors.ts'
import { isRetryableConflict, translateDriverError } from '../../src/storage/sql/errors.ts'

function driverError(fields: Record<string, string>): Error {
  return Object.assign(new Error(fields.message ?? 'driver error'), fields)
}

function codeOf(error: unknown): string | undefined {
  return error instanceof AuthError ? error.code : undefined
}

describe('driver error translation', () => {
  it('maps unique violations on users to email_taken and username_taken', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: users.email' },
        'email_taken',
      ],
      [
        {
          code: 'SQLITE_CONSTRAINT_UNIQUE',
          message: 'UNIQUE constraint failed: users.username_key',
        },
        'username_taken',
      ],
      [{ code: '23505', constraint: 'users_email_unique' }, 'email_taken'],
      [{ code: '23505', constraint: 'users_username_key_unique' }, 'username_taken'],
      [
        { code: 'ER_DUP_ENTRY', message: "Duplicate entry 'a@b' for key 'users_email_unique'" },
        'email_taken',
      ],
      [
        {
          code: 'ER_DUP_ENTRY',
          message: "Duplicate entry 'a' for key 'users.users_username_key_unique'",
        },
        'username_taken',
      ],
    ]
    for (const [fields, code] of cases) {
      const translated = translateDriverError(driverError(fields))
      assert.equal(codeOf(translated), code, JSON.stringify(fields))
      assert.ok(translated instanceof AuthError && translated.cause instanceof Error)
    }
  })

  it('leaves other unique violations and ordinary errors alone', () => {
    const others: Record<string, string>[] = [
      { code: '23505', constraint: 'sessions_pkey' },
      { code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: sessions.id' },
      { code: 'ER_DUP_ENTRY', message: "Duplicate entry 'x' for key 'PRIMARY'" },
      { code: '42601', message: 'syntax error' },
    ]
    for (const fields of others) {
      const error = driverError(fields)
      assert.equal(translateDriverError(error), error)
    }
  })

  it('maps connection failures, timeouts and lock conflicts to service_unavailable', () => {
    const outages: Record<string, string>[] = [
      { code: 'ECONNREFUSED' },
      { code: 'PROTOCOL_CONNECTION_LOST' },
      { code: '57P01' },
      { code: '08006' },
      { code: 'SQLITE_BUSY' },
      { message: 'Connection terminated unexpectedly' },
      { message: 'timeout exceeded when trying to connect' },
    ]
    for (const fields of outages) {
      const translated = translateDriverError(driverError(fields))
      assert.equal(codeOf(translated), 'service_unavailable', JSON.stringify(fields))
      assert.ok(translated instanceof AuthError && translated.retryAfterSeconds === 1)
    }
    const refused = new AggregateError([driverError({ code: 'ECONNREFUSED' })], 'connect')
    assert.equal(codeOf(translateDriverError(refused)), 'service_unavailable')
  })

  it('marks deadlocks and serialization failures as safe to run again', () => {
    for (const code of ['40P01', '40001', 'ER_LOCK_DEADLOCK']) {
      assert.equal(isRetryableConflict(translateDriverError(driverError({ code }))), true, code)
    }
    assert.equal(
      isRetryableConflict(translateDriverError(driverError({ code: 'ECONNRESET' }))),
      false,
    )
  })
})
