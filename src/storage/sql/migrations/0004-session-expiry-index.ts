// The index behind the sweep that deletes sessions long past their absolute expiry
// (core/maintenance/expired-rows.ts). Without it each sweep would read the whole table, which on
// SQLite is a synchronous scan on the event loop. `expires_at` is set once, when the session is
// created, and only grows, so each login adds its entry at the index's right-hand end.
import type { Kysely } from 'kysely'
import type { SqlKind } from '../dialects/sql-dialect.js'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('sessions_expires_at_idx')
    .on('sessions')
    .column('expires_at')
    .execute()
}

export async function down(db: Kysely<unknown>, kind: SqlKind): Promise<void> {
  const drop = db.schema.dropIndex('sessions_expires_at_idx')
  await (kind === 'mysql' ? drop.on('sessions') : drop).execute()
}
