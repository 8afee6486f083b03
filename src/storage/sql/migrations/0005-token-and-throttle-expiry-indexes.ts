// The indexes behind the sweep's other two deletes (core/maintenance/expired-rows.ts): one-time
// tokens past their expiry and login-throttle keys idle for a day. Without them each sweep would
// read both tables whole, on SQLite a synchronous scan on the event loop. A token's `expires_at`
// is set once, when it is issued; a throttle key's `updated_at` moves to the index's right-hand
// end at each attempt, and a successful login deletes the key.
import type { Kysely } from 'kysely'
import type { SqlKind } from '../dialects/sql-dialect.js'

const INDEXES = [
  { name: 'one_time_tokens_expires_at_idx', table: 'one_time_tokens', column: 'expires_at' },
  { name: 'login_throttle_updated_at_idx', table: 'login_throttle', column: 'updated_at' },
] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { name, table, column } of INDEXES) {
    await db.schema.createIndex(name).on(table).column(column).execute()
  }
}

export async function down(db: Kysely<unknown>, kind: SqlKind): Promise<void> {
  for (const { name, table } of INDEXES) {
    const drop = db.schema.dropIndex(name)
    await (kind === 'mysql' ? drop.on(table) : drop).execute()
  }
}
