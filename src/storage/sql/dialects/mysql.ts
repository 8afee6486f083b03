import { createPool } from 'mysql2'
import { CompiledQuery, MysqlDialect, type DatabaseConnection } from 'kysely'
import {
  CONNECT_TIMEOUT_MS,
  LOCK_TIMEOUT_MS,
  POOL_SIZE,
  STATEMENT_TIMEOUT_MS,
  type SqlDialect,
  type SqlDialectOptions,
} from './sql-dialect.js'

async function configureSession(
  connection: DatabaseConnection,
  statementTimeoutMs: number,
): Promise<void> {
  const run = (query: string): Promise<unknown> => connection.executeQuery(CompiledQuery.raw(query))
  // mysql2 interpolates parameters on the client with backslash escapes; a server running with
  // NO_BACKSLASH_ESCAPES would turn that escaping into SQL injection. Pin a known mode.
  await run(
    `set session sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'`,
  )
  // READ COMMITTED, as on PostgreSQL: no gap locks, so two logins of different users cannot
  // deadlock on neighbouring index gaps, and a waiting UPDATE re-reads the committed row.
  await run('set session transaction isolation level read committed')
  await run(`set session innodb_lock_wait_timeout = ${Math.ceil(LOCK_TIMEOUT_MS / 1000)}`)
  const result = await connection.executeQuery<{ v: string }>(
    CompiledQuery.raw('select version() as v'),
  )
  const isMariaDB = result.rows[0]?.v.includes('MariaDB') ?? false
  // MariaDB bounds every statement (seconds); MySQL only SELECTs (milliseconds).
  await run(
    isMariaDB
      ? `set session max_statement_time = ${statementTimeoutMs / 1000}`
      : `set session max_execution_time = ${statementTimeoutMs}`,
  )
}

export function createMysqlDialect(url: string, options: SqlDialectOptions = {}): SqlDialect {
  const statementTimeoutMs = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS
  if (!/^(mysql|mariadb):\/\//.test(url)) throw new Error('not a mysql:// or mariadb:// URL')
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: POOL_SIZE,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableKeepAlive: true,
  })
  return {
    kind: 'mysql',
    dialect: new MysqlDialect({
      pool,
      onCreateConnection: (connection) => configureSession(connection, statementTimeoutMs),
    }),
    lockRows: (query) => query.forUpdate(),
  }
}
