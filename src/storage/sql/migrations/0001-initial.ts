// The first schema. Migrations never import the live table types (schema.ts): they describe
// the database as it was when they were written, so they take an untyped Kysely.
import { sql, type CreateTableBuilder, type Kysely } from 'kysely'
import type { SqlKind } from '../dialects/sql-dialect.js'
import { AUDIT_GENESIS_HASH } from '../audit-chain.js'

type Table = CreateTableBuilder<string, never>

// MySQL: InnoDB for transactions and row locks; utf8mb4_bin so that uniqueness and equality are
// exact, as on PostgreSQL and SQLite (the default *_ci collations would make 'josé' collide with
// 'jose' and compare case-insensitively).
function tableOptions(kind: SqlKind): (table: Table) => Table {
  return kind === 'mysql'
    ? (table) =>
        table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
    : (table) => table
}

const ID = 'varchar(128)'
const HASH = 'varchar(128)'
const IP = 'varchar(100)'

export async function up(db: Kysely<unknown>, kind: SqlKind): Promise<void> {
  const options = tableOptions(kind)
  await db.schema
    .createTable('users')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('username', 'varchar(255)')
    .addColumn('username_key', 'varchar(255)')
    .addColumn('name', 'text')
    .addColumn('role', 'varchar(32)', (c) => c.notNull())
    .addColumn('email_verified', 'integer', (c) => c.notNull())
    .addColumn('mfa_enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('users_email_unique', ['email'])
    .addUniqueConstraint('users_username_key_unique', ['username_key'])
    .$call(options)
    .execute()
  await db.schema
    .createIndex('users_created_at_idx')
    .on('users')
    .columns(['created_at', 'id'])
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('secret_hash', HASH, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', IP)
    .addColumn('user_agent', 'text')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoke_reason', 'varchar(32)')
    .addForeignKeyConstraint('sessions_user_fk', ['user_id'], 'users', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .$call(options)
    .execute()
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', HASH, (c) => c.primaryKey())
    .addColumn('session_id', ID, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('spent_at', 'bigint')
    .addForeignKeyConstraint('refresh_tokens_session_fk', ['session_id'], 'sessions', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .$call(options)
    .execute()
  await db.schema
    .createIndex('refresh_tokens_session_id_idx')
    .on('refresh_tokens')
    .column('session_id')
    .execute()

  // No foreign keys: the audit log outlives the users and sessions it mentions.
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_id', ID)
    .addColumn('actor_id', ID)
    .addColumn('session_id', ID)
    .addColumn('ip', IP)
    .addColumn('user_agent', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', HASH, (c) => c.notNull())
    .addColumn('hash', HASH, (c) => c.notNull())
    .addUniqueConstraint('audit_events_id_unique', ['id'])
    .$call(options)
    .execute()
  // Queries filter by user or type and read newest first, i.e. by seq descending.
  const auditIndexes = { user_id: ['user_id', 'seq'], type: ['type', 'seq'], at: ['at'] } as const
  for (const [name, columns] of Object.entries(auditIndexes)) {
    await db.schema
      .createIndex(`audit_events_${name}_idx`)
      .on('audit_events')
      .columns([...columns])
      .execute()
  }

  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', HASH, (c) => c.notNull())
    .$call(options)
    .execute()
  await sql`insert into audit_chain_head (id, seq, hash) values (1, 0, ${AUDIT_GENESIS_HASH})`.execute(
    db,
  )

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .$call(options)
    .execute()

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('alg', 'varchar(16)', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .$call(options)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'signing_keys',
    'login_throttle',
    'audit_chain_head',
    'audit_events',
    'refresh_tokens',
    'sessions',
    'users',
  ]
  for (const table of tables) await db.schema.dropTable(table).execute()
}
