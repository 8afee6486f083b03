import pg from 'pg'
import { PostgresDialect } from 'kysely'
import {
  CONNECT_TIMEOUT_MS,
  LOCK_TIMEOUT_MS,
  POOL_SIZE,
  STATEMENT_TIMEOUT_MS,
  type SqlDialect,
  type SqlDialectOptions,
} from './sql-dialect.js'

const INT8_OID = 20

// pg returns BIGINT as a string because it may exceed 2^53. Ours are epoch milliseconds and
// counts, far below that; a value that is not a safe integer is corruption, not data.
function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT out of range: ${text}`)
  return value
}

export function createPostgresDialect(url: string, options: SqlDialectOptions = {}): SqlDialect {
  const statementTimeoutMs = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('not a postgres:// URL')
  // Per-pool parsers rather than pg.types.setTypeParser, which would change every pg user in
  // the process.
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, parseInt8)
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    // Also bounds the wait for a free pooled client.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs,
    lock_timeout: LOCK_TIMEOUT_MS,
    // Client-side bound for a server that stops answering without closing the socket.
    ...(statementTimeoutMs > 0 ? { query_timeout: statementTimeoutMs + 2_000 } : {}),
    idle_in_transaction_session_timeout: 60_000,
    keepAlive: true,
    application_name: 'latchkey',
    types,
  })
  // An idle client whose server went away emits 'error' on the pool; without a listener that
  // kills the process. pg drops the client, and the next query reports the outage instead.
  pool.on('error', () => undefined)
  // The same for a client that is checked out (between two statements of a transaction) when the
  // server goes away: pg emits 'error' on the client itself, which nobody else listens to, and
  // the process would die. The statement that next uses it fails (→ 503) instead.
  pool.on('connect', (client) => client.on('error', () => undefined))
  return {
    kind: 'postgres',
    dialect: new PostgresDialect({ pool }),
    // NO KEY UPDATE still serialises writers of the row but, unlike FOR UPDATE, does not block
    // the KEY SHARE locks that foreign-key checks take (inserting a session for the user).
    lockRows: (query) => query.forNoKeyUpdate(),
  }
}
