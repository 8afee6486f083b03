// The index behind "the user's live sessions", which every login reads (the session policy ends
// them) and locks on PostgreSQL and MySQL. 0001 indexed `sessions.user_id` alone, so that read
// visited every session the user ever had, revoked and expired ones included: the cost of a
// login grew with the account's login history (at ~4,250 past sessions its event-loop CPU was
// 30% above what it is with this index). With `revoked_at` and `expires_at` after `user_id` the
// search reaches only the live ones. It replaces the old index: its first column still serves
// the `user_id` foreign key, which MySQL needs an index for.
import type { Kysely } from 'kysely'
import type { SqlKind } from '../dialects/sql-dialect.js'

/** `drop index … on <table>` is MySQL's syntax; SQLite and PostgreSQL take the name alone. */
async function dropSessionsIndex(db: Kysely<unknown>, kind: SqlKind, name: string): Promise<void> {
  const drop = db.schema.dropIndex(name)
  await (kind === 'mysql' ? drop.on('sessions') : drop).execute()
}

export async function up(db: Kysely<unknown>, kind: SqlKind): Promise<void> {
  await db.schema
    .createIndex('sessions_user_live_idx')
    .on('sessions')
    .columns(['user_id', 'revoked_at', 'expires_at'])
    .execute()
  await dropSessionsIndex(db, kind, 'sessions_user_id_idx')
}

export async function down(db: Kysely<unknown>, kind: SqlKind): Promise<void> {
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute()
  await dropSessionsIndex(db, kind, 'sessions_user_live_idx')
}
