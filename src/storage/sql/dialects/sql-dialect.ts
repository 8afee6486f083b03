import type { Dialect, SelectQueryBuilder } from 'kysely'

export type SqlKind = 'sqlite' | 'postgres' | 'mysql'

/** Adds the row lock that serialises writers of the selected rows, where the database needs one. */
export type RowLock = <DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
) => SelectQueryBuilder<DB, TB, O>

/** What each dialect module returns: the Kysely dialect plus the few things that differ. */
export interface SqlDialect {
  readonly kind: SqlKind
  readonly dialect: Dialect
  readonly lockRows: RowLock
  /** SQLite only: changes when another connection has committed (`pragma data_version`). */
  readonly dataVersion?: () => number
}

export interface SqlDialectOptions {
  /**
   * Upper bound for one statement, in ms; 0 for none. Requests get STATEMENT_TIMEOUT_MS;
   * migrations get none, since rewriting a large table may rightly take longer.
   */
  readonly statementTimeoutMs?: number
}

/** Bounds shared by the network dialects, so an outage gives errors instead of hangs. */
export const CONNECT_TIMEOUT_MS = 5_000
export const LOCK_TIMEOUT_MS = 5_000
export const STATEMENT_TIMEOUT_MS = 10_000
export const POOL_SIZE = 10
