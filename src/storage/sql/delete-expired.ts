import { sql } from 'kysely'
import { atomically, deleteBatch, type SqlContext } from './sql-context.js'

/** A table the sweep (core/maintenance/) deletes from by an expiry column, and its key. */
export type ExpiringTable =
  | { readonly table: 'sessions'; readonly key: 'id' }
  | { readonly table: 'one_time_tokens'; readonly key: 'token_hash' }

/**
 * Deletes at most `limit` rows whose `expires_at` is before `cutoff` (ms), oldest first; returns
 * how many. The keys first, then the rows, in one transaction: PostgreSQL has no
 * `DELETE … LIMIT`, and MySQL takes no `LIMIT` in an `IN` subquery. Both statements use the
 * table's index on `expires_at` (migrations 0004, 0005); the delete checks the expiry again.
 * The names are the constants above, quoted by Kysely; only the values are parameters.
 */
export async function deleteExpiredRows(
  context: SqlContext,
  { table, key }: ExpiringTable,
  cutoff: number,
  limit: number,
): Promise<number> {
  return atomically(context, async ({ db }) => {
    const found = await sql<{ key: string }>`
      select ${sql.ref(key)} as ${sql.ref('key')} from ${sql.table(table)}
      where expires_at < ${cutoff} order by expires_at limit ${deleteBatch(limit)}`.execute(db)
    if (found.rows.length === 0) return 0
    const keys = found.rows.map((row) => row.key)
    const deleted = await sql`
      delete from ${sql.table(table)}
      where ${sql.ref(key)} in (${sql.join(keys)}) and expires_at < ${cutoff}`.execute(db)
    return Number(deleted.numAffectedRows ?? 0n)
  })
}
