import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely, Transaction } from 'kysely'
import type { RowLock, SqlKind } from './dialects/sql-dialect.js'
import { isRetryableConflict } from './errors.js'
import type { Database } from './schema.js'

/** What every table store works with: the database (or the open transaction) and its dialect. */
export interface SqlContext {
  readonly db: Kysely<Database>
  readonly kind: SqlKind
  readonly lockRows: RowLock
}

const MAX_ATTEMPTS = 3

/**
 * A transaction, run again (up to three times in all) when the database chose it as the victim
 * of a deadlock or a serialization failure: it was rolled back whole, so running it again is
 * safe as long as `work` only talks to the database.
 */
export async function runTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(work)
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error
      // A little jitter so the two victims of one deadlock do not collide again in step.
      await sleep(5 + Math.random() * 20 * attempt)
    }
  }
}

/**
 * Runs `work` in the caller's transaction when there is one, else in a transaction of its own:
 * read-decide-write steps are atomic whether or not core wrapped them in `store.transaction`.
 */
export async function atomically<T>(
  context: SqlContext,
  work: (context: SqlContext) => Promise<T>,
): Promise<T> {
  if (context.db.isTransaction) return work(context)
  return runTransaction(context.db, (trx) => work({ ...context, db: trx }))
}

/**
 * Locks one user's row until the transaction ends, so that user's writers run one at a time.
 * SQLite needs no statement for it: every transaction there begins IMMEDIATE and so already holds
 * the database's write lock.
 */
export async function lockUserRow(context: SqlContext, userId: string): Promise<void> {
  if (context.kind === 'sqlite') return
  await context
    .lockRows(context.db.selectFrom('users').select('id').where('id', '=', userId))
    .execute()
}

/**
 * Rows per housekeeping delete, at most 500: the keys go into one `IN` list of bound parameters,
 * and a small batch keeps each delete short (on SQLite it runs on the event loop).
 */
export function deleteBatch(limit: number): number {
  return Math.max(1, Math.min(limit, 500))
}
