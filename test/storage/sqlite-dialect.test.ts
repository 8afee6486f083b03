import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import { parseSqliteURL } from '../../src/storage/sql/dialects/sqlite.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'

describe('SQLite dialect', () => {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'))
  after(() => rmSync(root, { recursive: true, force: true }))

  it('reads the URL forms of DATABASE_URL', () => {
    assert.equal(parseSqliteURL('sqlite:./data/latchkey.db'), './data/latchkey.db')
    assert.equal(parseSqliteURL('sqlite:/abs/path.db'), '/abs/path.db')
    assert.equal(parseSqliteURL('sqlite:///abs/path.db'), '/abs/path.db')
    assert.equal(parseSqliteURL('sqlite::memory:'), ':memory:')
    assert.throws(() => parseSqliteURL('sqlite:'), /file name/)
    assert.throws(() => parseSqliteURL('postgres://x'), /not a sqlite/)
  })

  it('creates the parent directory and a file only the owner can read', async () => {
    const file = join(root, 'nested', 'deeper', 'latchkey.db')
    const store = await openSqlStore(`sqlite:${file}`, { migrate: true })
    try {
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(statSync(join(root, 'nested', 'deeper')).mode & 0o777, 0o700)
    } finally {
      await store.close()
    }
  })

  it('runs in WAL mode with synchronous=NORMAL (the driver fsyncs), a busy timeout and foreign keys on', async () => {
    const store = await openSqlStore(`sqlite:${join(root, 'pragmas.db')}`, { migrate: true })
    try {
      const pragma = async (name: string): Promise<unknown> => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(
          store.db,
        )
        return Object.values(rows[0] ?? {})[0]
      }
      assert.equal(await pragma('journal_mode'), 'wal')
      assert.equal(await pragma('synchronous'), 1) // 1 = NORMAL: wal-sync.ts makes commits durable
      assert.equal(await pragma('foreign_keys'), 1)
      assert.equal(await pragma('busy_timeout'), 5000)
    } finally {
      await store.close()
    }
  })

  it('opens an in-memory database', async () => {
    const store = await openSqlStore('sqlite::memory:', { migrate: true })
    try {
      assert.equal(await store.users.count(), 0)
      await store.ping()
    } finally {
      await store.close()
    }
  })
})
