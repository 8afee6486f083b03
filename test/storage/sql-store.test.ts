// What the SQL adapter promises beyond the Store port: migrations, refusing to bind anything but
// scalars, and failing fast (service_unavailable) when the database cannot be reached.
import assert from 'node:assert/strict'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import { AuthError } from '../../src/core/errors.ts'
import { Database } from '../../src/storage/sql/dialects/sqlite-driver.ts'
import { openSqlStore, runMigrations } from '../../src/storage/sql/open-store.ts'
import { storeSkipReason } from '../helpers/services.ts'
import { createTestDatabase } from './sql-test-stores.ts'

const MIGRATIONS = [
  '0001-initial',
  '0002-factors-and-tokens',
  '0003-live-sessions-index',
  '0004-session-expiry-index',
  '0005-token-and-throttle-expiry-indexes',
]

function isUnavailable(error: unknown): boolean {
  return error instanceof AuthError && error.code === 'service_unavailable'
}

for (const kind of ['sqlite', 'postgres', 'mysql'] as const) {
  const skip = await storeSkipReason(kind)
  describe(`SQL store on ${kind}`, { skip }, () => {
    it('migrates up, reports status, steps down and up again', async () => {
      const database = await createTestDatabase(kind)
      try {
        const states = (executed: boolean[], changed: boolean[]) =>
          MIGRATIONS.map((name, i) => ({ name, executed: executed[i], changed: changed[i] }))
        assert.deepEqual(
          await runMigrations(database.url, 'status'),
          states([false, false, false, false, false], [false, false, false, false, false]),
        )
        await assert.rejects(openSqlStore(database.url), /schema is behind.*latchkey migrate up/)
        assert.deepEqual(
          await runMigrations(database.url, 'up'),
          states([true, true, true, true, true], [true, true, true, true, true]),
        )
        assert.deepEqual(
          await runMigrations(database.url, 'up'),
          states([true, true, true, true, true], [false, false, false, false, false]),
        )
        assert.deepEqual(
          await runMigrations(database.url, 'down'),
          states([true, true, true, true, false], [false, false, false, false, true]),
        )
        assert.deepEqual(
          await runMigrations(database.url, 'up'),
          states([true, true, true, true, true], [false, false, false, false, true]),
        )
        const store = await openSqlStore(database.url)
        assert.equal(await store.users.count(), 0)
        await store.close()
      } finally {
        await database.drop()
      }
    })

    it('refuses to bind an object or array where a scalar belongs (SEC-INPUT-02)', async () => {
      const database = await createTestDatabase(kind)
      const store = await openSqlStore(database.url, { migrate: true })
      try {
        // mysql2 would expand an object into `key = value` pairs; the guard stops it on every
        // driver. (Kysely itself turns an array into a value list, which the database refuses.)
        const object = { email: 'x' } as unknown as string // deliberately mistyped input
        const array = ['a', 'b'] as unknown as string // deliberately mistyped input
        await assert.rejects(store.users.findByEmailWithPassword(object), TypeError)
        await assert.rejects(store.users.findById(array))
        assert.equal(await store.users.findByEmailWithPassword("' or 1=1 -- "), null)
      } finally {
        await store.close()
        await database.drop()
      }
    })
  })
}

describe('SQL store indexes (SQLite query plans)', () => {
  it('finds a user’s live sessions, which every login reads, without visiting revoked ones', async () => {
    const database = await createTestDatabase('sqlite')
    try {
      await runMigrations(database.url, 'up')
      const db = new Database(database.url.slice('sqlite:'.length), { readonly: true })
      const planOf = (query: string, ...values: unknown[]): string[] =>
        (db.prepare(`explain query plan ${query}`).all(...values) as { detail: string }[]).map(
          (row) => row.detail,
        )
      const plan = planOf(
        'select id from sessions where user_id = ? and revoked_at is null and expires_at > ?',
        'u',
        0,
      )
      // The sweep (core/maintenance/) reads the oldest expired rows, on a loop that must not
      // stall: from the start of an index, never a whole table.
      const sweeps = [
        planOf('select id from sessions where expires_at < ? order by expires_at limit ?', 0, 9),
        planOf(
          'select token_hash from one_time_tokens where expires_at < ? order by expires_at limit ?',
          0,
          9,
        ),
        planOf(
          'select key from login_throttle where updated_at < ? and (locked_until is null or locked_until <= ?) order by updated_at limit ?',
          0,
          0,
          9,
        ),
      ]
      db.close()
      assert.deepEqual(sweeps, [
        ['SEARCH sessions USING INDEX sessions_expires_at_idx (expires_at<?)'],
        ['SEARCH one_time_tokens USING INDEX one_time_tokens_expires_at_idx (expires_at<?)'],
        ['SEARCH login_throttle USING INDEX login_throttle_updated_at_idx (updated_at<?)'],
      ])
      // All three terms are index constraints: the search starts at the user's first live,
      // unexpired session instead of walking every session the user ever had.
      assert.deepEqual(plan, [
        'SEARCH sessions USING INDEX sessions_user_live_idx (user_id=? AND revoked_at=? AND expires_at>?)',
      ])
    } finally {
      await database.drop()
    }
  })
})

describe('SQL store outages', () => {
  for (const url of ['postgres://postgres@127.0.0.1:1/test', 'mysql://root@127.0.0.1:1/test']) {
    it(`answers service_unavailable quickly when nothing listens (${url.split(':')[0]})`, async () => {
      const started = Date.now()
      await assert.rejects(openSqlStore(url), isUnavailable)
      assert.ok(Date.now() - started < 6_000)
    })
  }

  it('answers service_unavailable within the connect timeout when the server never answers', async () => {
    // A listener that accepts and then says nothing: a hung server, or a firewall that drops.
    const sockets = new Set<Socket>()
    const server = createServer((socket) => sockets.add(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo // listen() on a TCP port gives an AddressInfo
    try {
      const started = Date.now()
      await Promise.all(
        [`postgres://postgres@127.0.0.1:${port}/test`, `mysql://root@127.0.0.1:${port}/test`].map(
          (url) => assert.rejects(openSqlStore(url), isUnavailable),
        ),
      )
      assert.ok(Date.now() - started < 8_000)
    } finally {
      for (const socket of sockets) socket.destroy()
      server.close()
    }
  })

  it('refuses an unknown URL scheme with a line naming the accepted ones', async () => {
    await assert.rejects(openSqlStore('mongodb://localhost/x'), /sqlite:, postgres:\/\//)
  })
})
