import { existsSync, mkdirSync, chmodSync } from 'node:fs'
import { dirname } from 'node:path'
import { Database, type BetterSqlite3 } from './sqlite-driver.js'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely'
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

// Every transaction starts with BEGIN IMMEDIATE: it takes the write lock up front, so a
// read-then-write transaction can never fail half-way with SQLITE_BUSY when another process
// (the CLI beside the server) writes. Within one process Kysely's single-connection mutex
// already runs transactions one at a time.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
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
  // FULL: an acknowledged commit is on disk, so it survives kill -9 and power loss alike.
  db.pragma('synchronous = FULL')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  db.pragma('foreign_keys = ON')
  return db
}

const STATEMENT_CACHE_SIZE = 256

// Kysely's SQLite driver prepares every query anew; compiling the SQL costs about as much as
// running it on the hot path (findWithUser), and Kysely emits the same text for each call site.
function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (statement === undefined) {
        statement = db.prepare(sql)
        // `in (?, ?, …)` lists make new texts; a full cache starts over rather than grow.
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear()
        cache.set(sql, statement)
      }
      return statement
    },
  }
}

export function createSqliteDialect(url: string): SqlDialect {
  const file = parseSqliteURL(url)
  const config: SqliteDialectConfig = {
    database: async () => withStatementCache(openDatabase(file)),
  }
  return {
    kind: 'sqlite',
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new ImmediateSqliteDriver(config),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
    // SQLite has one writer at a time and no FOR UPDATE: the transaction itself is the lock.
    lockRows: (query) => query,
  }
}
