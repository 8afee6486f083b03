// One-time tokens (verification, reset, MFA tickets, WebAuthn challenges), TOTP factors and
// recovery codes, WebAuthn credentials and external (OAuth/OIDC) identities.
import { sql, type CreateTableBuilder, type Kysely } from 'kysely'
import type { SqlKind } from '../dialects/sql-dialect.js'

type Table = CreateTableBuilder<string, never>

// As in 0001: InnoDB with exact (binary) comparison on MySQL.
function tableOptions(kind: SqlKind): (table: Table) => Table {
  return kind === 'mysql'
    ? (table) =>
        table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
    : (table) => table
}

const ID = 'varchar(128)'
const HASH = 'varchar(128)'

const cascade = <T extends { onDelete(action: 'cascade'): T }>(c: T): T => c.onDelete('cascade')

export async function up(db: Kysely<unknown>, kind: SqlKind): Promise<void> {
  const options = tableOptions(kind)
  await db.schema
    .createTable('one_time_tokens')
    .addColumn('token_hash', HASH, (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', ID)
    .addColumn('email', 'varchar(320)')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('voided_at', 'bigint')
    .addForeignKeyConstraint('one_time_tokens_user_fk', ['user_id'], 'users', ['id'], cascade)
    .$call(options)
    .execute()
  await db.schema
    .createIndex('one_time_tokens_user_purpose_idx')
    .on('one_time_tokens')
    .columns(['user_id', 'purpose'])
    .execute()

  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', ID, (c) => c.primaryKey())
    .addColumn('secret_encrypted', 'text', (c) => c.notNull())
    .addColumn('enabled_at', 'bigint')
    .addColumn('last_used_step', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addForeignKeyConstraint('totp_factors_user_fk', ['user_id'], 'users', ['id'], cascade)
    .$call(options)
    .execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('code_hash', HASH, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .addForeignKeyConstraint('recovery_codes_user_fk', ['user_id'], 'users', ['id'], cascade)
    .$call(options)
    .execute()

  // WebAuthn allows credential ids up to 1023 bytes (1364 base64url characters). On MySQL an
  // index key is at most 3072 bytes: four per character in utf8mb4, one in ascii.
  const credentialId =
    kind === 'mysql' ? sql`varchar(1400) character set ascii collate ascii_bin` : sql`varchar(1400)`
  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', credentialId, (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addForeignKeyConstraint('webauthn_credentials_user_fk', ['user_id'], 'users', ['id'], cascade)
    .$call(options)
    .execute()
  await db.schema
    .createIndex('webauthn_credentials_user_id_idx')
    .on('webauthn_credentials')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('external_identities')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('issuer', 'varchar(255)', (c) => c.notNull())
    .addColumn('subject', 'varchar(255)', (c) => c.notNull())
    .addColumn('provider', 'varchar(64)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // SEC-OIDC-04: an external account is known by (issuer, subject), never by its email.
    .addUniqueConstraint('external_identities_issuer_subject_unique', ['issuer', 'subject'])
    .addForeignKeyConstraint('external_identities_user_fk', ['user_id'], 'users', ['id'], cascade)
    .$call(options)
    .execute()
  await db.schema
    .createIndex('external_identities_user_id_idx')
    .on('external_identities')
    .column('user_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'external_identities',
    'webauthn_credentials',
    'recovery_codes',
    'totp_factors',
    'one_time_tokens',
  ]
  for (const table of tables) await db.schema.dropTable(table).execute()
}
