// The cheap "did anyone commit?" check in front of `PRAGMA data_version` (wal-index-header.ts):
// it must never say "unchanged" across a commit from any connection, or the SQLite session cache
// would keep a revoked session. Real SQLite files, two connections, as a CLI beside the server.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { Kysely, sql } from 'kysely'
import { Database, type BetterSqlite3 } from '../../src/storage/sql/dialects/sqlite-driver.ts'
import { createSqliteDialect } from '../../src/storage/sql/dialects/sqlite.ts'
import { WalIndexHeader } from '../../src/storage/sql/dialects/wal-index-header.ts'

function openWal(file: string): BetterSqlite3.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  return db
}

describe('WAL-index header check (wal-index-header.ts)', () => {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-wal-index-'))
  after(() => rmSync(root, { recursive: true, force: true }))
  let n = 0
  const freshFile = (): string => join(root, `db-${++n}.sqlite`)

  it('says unchanged only while nobody commits; reads change nothing', () => {
    const file = freshFile()
    const server = openWal(file)
    const cli = openWal(file)
    server.exec('create table t (x integer)')
    const header = new WalIndexHeader(file)
    try {
      assert.equal(header.changedSinceLastLook(), true, 'the first look has nothing to compare')
      assert.equal(header.changedSinceLastLook(), false)
      cli.prepare('select count(*) from t').get()
      server.prepare('select count(*) from t').get()
      assert.equal(header.changedSinceLastLook(), false, 'reads leave the header alone')

      cli.exec('insert into t values (1)')
      assert.equal(header.changedSinceLastLook(), true, "another connection's commit")
      assert.equal(header.changedSinceLastLook(), false)

      server.exec('insert into t values (2)')
      assert.equal(header.changedSinceLastLook(), true, "this connection's own commit")

      // A checkpoint that restarts the WAL, then a commit that reuses it from the start.
      cli.pragma('wal_checkpoint(TRUNCATE)')
      header.changedSinceLastLook()
      cli.exec('insert into t values (3)')
      assert.equal(header.changedSinceLastLook(), true, 'a commit into a restarted WAL')

      // A closed sibling does not take the -shm file away from the server's open connection.
      cli.close()
      assert.equal(header.changedSinceLastLook(), false)
      server.exec('insert into t values (4)')
      assert.equal(header.changedSinceLastLook(), true)
    } finally {
      header.close()
      if (cli.open) cli.close()
      server.close()
    }
  })

  it('says changed, without throwing, when there is no -shm file to read', () => {
    const header = new WalIndexHeader(join(root, 'missing.sqlite'))
    assert.equal(header.changedSinceLastLook(), true)
    assert.equal(header.changedSinceLastLook(), true)
    header.close()
  })

  it("keeps the store's data version exact: another connection's commits move it, its own do not", async () => {
    const file = freshFile()
    const dialect = createSqliteDialect(`sqlite:${file}`)
    const db = new Kysely<{ t: { x: number } }>({ dialect: dialect.dialect })
    const dataVersion = dialect.dataVersion
    assert.ok(dataVersion !== undefined)
    const cli = openWal(file)
    try {
      await sql`create table t (x integer)`.execute(db)
      const start = dataVersion()
      for (let i = 0; i < 3; i++) assert.equal(dataVersion(), start, 'no commit, no change')

      await db.insertInto('t').values({ x: 1 }).execute()
      assert.equal(dataVersion(), start, 'its own commit is not "written elsewhere"')

      cli.exec('insert into t values (2)')
      const afterCli = dataVersion()
      assert.notEqual(afterCli, start, "the other connection's commit is seen on the next look")
      assert.equal(dataVersion(), afterCli)

      // Many looks, then a commit: still seen at once.
      for (let i = 0; i < 100; i++) dataVersion()
      cli.exec('update t set x = x + 1')
      assert.notEqual(dataVersion(), afterCli)
    } finally {
      cli.close()
      await db.destroy()
    }
  })
})
