// PreparedQuery: compiled once, run with new values, each landing where the SQL put it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PreparedQuery } from '../../src/storage/sql/prepared-query.ts'
import type { SqlContext } from '../../src/storage/sql/sql-context.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import type { SqlStore } from '../../src/storage/sql/store.ts'

describe('PreparedQuery', () => {
  let store: SqlStore
  let context: SqlContext
  before(async () => {
    store = await openSqlStore('sqlite::memory:', { migrate: true })
    context = { db: store.db, kind: store.kind, lockRows: (query) => query }
    const at = Date.UTC(2026, 0, 1)
    for (const [id, email] of [
      ['u1', 'a@example.com'],
      ['u2', 'b@example.com'],
      ['u3', 'c@example.com'],
    ] as const) {
      await store.db
        .insertInto('users')
        .values({
          id,
          email,
          username: null,
          username_key: null,
          name: null,
          role: 'user',
          email_verified: 0,
          mfa_enabled: 0,
          disabled: 0,
          password_hash: null,
          profile: '{}',
          created_at: at + id.charCodeAt(1),
          updated_at: at,
        })
        .execute()
    }
  })
  after(async () => store.close())

  // Values out of SQL order, one of them used twice, and a constant (the limit) in between.
  const query = new PreparedQuery(({ db }, value) =>
    db
      .selectFrom('users')
      .select(['id', 'email'])
      .where((eb) => eb.or([eb('email', '=', value<string>(1)), eb('id', '=', value<string>(0))]))
      .where('id', '!=', value<string>(2))
      .where('email', '!=', value<string>(2))
      .orderBy('id')
      .limit(2),
  )

  it('binds each value where the SQL put it, run after run, keeping constants', async () => {
    const first = await query.execute(context, 'u1', 'b@example.com', 'nobody')
    assert.deepEqual(
      first.rows.map((r) => r.id),
      ['u1', 'u2'],
    )
    const second = await query.execute(context, 'u3', 'a@example.com', 'u3')
    assert.deepEqual(
      second.rows.map((r) => r.id),
      ['u1'],
    )
  })

  it('refuses a call with the wrong number of values', () => {
    assert.throws(() => query.execute(context, 'u1', 'x'), /takes 3 values, got 2/)
  })

  it('runs inside the transaction it is given', async () => {
    const rename = new PreparedQuery(({ db }, value) =>
      db
        .updateTable('users')
        .set({ name: value<string>(0) })
        .where('id', '=', value<string>(1)),
    )
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        const result = await rename.execute({ ...context, db: trx }, 'Renamed', 'u2')
        assert.equal(result.numAffectedRows, 1n)
        throw new Error('roll back')
      }),
      /roll back/,
    )
    const row = await store.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', 'u2')
      .executeTakeFirstOrThrow()
    assert.equal(row.name, null)
  })
})
