import { existsSync, mkdirSync, chmodSync } from 'node:fs'
import { dirname } from 'node:path'
import { Database, type BetterSqlite3 } from './sqlite-driver.js'
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import { DurableSqliteDriver } from './sqlite-kysely-driver.js'
import { WalCheckpointer } from './wal-checkpointer.js'
import { WalIndexHeader } from './wal-index-header.js'
import { WalSync } from './wal-sync.js'
import type { SqlDialect } from './sql-dialect.js'

const BUSY_TIMEOUT_MS = 5_000

/**
 * `sqlite:./data/latchkey.db`, `sqlite:/abs/path.db`, `sqlite:///abs/path.db` or
 * `sqlite::memory:` → the file name better-sqlite3 opens.
 */
export function parseSqliteURL(url: string): string {
  if (!url.startsWith('sqlite:')) throw new Error(`not a sqlite: URL: ${url}`)
  let path = url.slice('sqlite:'.length)
  if (path.startsWith('//')) path = path.slice(2)
  if (path === '')
    throw new Error('sqlite: URL without a file name (use sqlite::memory: for memory)')
  return path
}

function openDatabase(file: string): BetterSqlite3.Database {
  const memory = file === ':memory:'
  const isNew = !memory && !existsSync(file)
  // The database holds password hashes and encrypted keys: keep it private to the owner.
  if (isNew) mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const db = new Database(file)
  // The -wal and -shm files take the database file's mode, so set it before WAL starts.
  if (isNew) chmodSync(file, 0o600)
  if (!memory) db.pragma('journal_mode = WAL')
  // NORMAL: COMMIT does not fsync. The driver fsyncs the WAL itself, off the event loop and shared
  // by concurrent commits, before any write is acknowledged (wal-sync.ts), so an acknowledged
  // write still survives kill -9 and power loss alike.
  db.pragma('synchronous = NORMAL')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  db.pragma('foreign_keys = ON')
  return db
}

export function createSqliteDialect(url: string): SqlDialect {
  const file = parseSqliteURL(url)
  let driver: DurableSqliteDriver | null = null
  return {
    kind: 'sqlite',
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => {
        driver = new DurableSqliteDriver({
          open: () => openDatabase(file),
          walSync: file === ':memory:' ? null : new WalSync(file),
          walIndex: file === ':memory:' ? null : new WalIndexHeader(file),
          checkpointer: file === ':memory:' ? null : new WalCheckpointer(file),
        })
        return driver
      },
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
    // SQLite has one writer at a time and no FOR UPDATE: the transaction itself is the lock.
    lockRows: (query) => query,
    dataVersion: () => {
      if (driver === null) throw new Error('the SQLite dialect has no driver yet')
      return driver.dataVersion()
    },
  }
}
