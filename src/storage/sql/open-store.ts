// Opening the SQL store and migrating its schema. The composition root (server.ts, cli/) calls:
//
//   openSqlStore(databaseUrl: string, options?: { migrate?: boolean }): Promise<SqlStore>
//     Opens a pool for `sqlite:…`, `postgres://…` / `postgresql://…` or `mysql://…` /
//     `mariadb://…`. With `migrate: true` pending migrations run first; without it a schema that
//     is behind the code is refused with one clear line, rather than failing query by query.
//
//   runMigrations(databaseUrl: string, direction: 'up' | 'down' | 'status'):
//       Promise<MigrationState[]>
//     `up` applies every pending migration, `down` reverts the latest one, `status` changes
//     nothing. Returns every known migration in order with whether it is applied now and
//     whether this call applied or reverted it (`latchkey migrate` prints this).
import { Kysely, Migrator, sql } from 'kysely'
import { createMysqlDialect } from './dialects/mysql.js'
import { createPostgresDialect } from './dialects/postgres.js'
import type { SqlDialect, SqlDialectOptions } from './dialects/sql-dialect.js'
import { createSqliteDialect } from './dialects/sqlite.js'
import { guardDialect } from './guarded-dialect.js'
import { migrationProvider } from './migrations/index.js'
import type { Database } from './schema.js'
import { SqlStore } from './store.js'

export interface MigrationState {
  readonly name: string
  readonly executed: boolean
  /** Applied (up) or reverted (down) by this call. */
  readonly changed: boolean
}

export type MigrationDirection = 'up' | 'down' | 'status'

/** Picks the dialect from the URL scheme. */
export function createSqlDialect(databaseUrl: string, options: SqlDialectOptions = {}): SqlDialect {
  const scheme = /^([a-z]+):/.exec(databaseUrl)?.[1]
  switch (scheme) {
    case 'sqlite':
      return createSqliteDialect(databaseUrl)
    case 'postgres':
    case 'postgresql':
      return createPostgresDialect(databaseUrl, options)
    case 'mysql':
    case 'mariadb':
      return createMysqlDialect(databaseUrl, options)
    default:
      throw new Error(
        'DATABASE_URL must start with sqlite:, postgres://, postgresql://, mysql:// or mariadb://',
      )
  }
}

function openDatabase(dialect: SqlDialect): Kysely<Database> {
  return new Kysely<Database>({ dialect: guardDialect(dialect.dialect) })
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema
  if (schema === undefined) throw new Error('PostgreSQL has no current schema (check search_path)')
  return schema
}

async function migrate(
  db: Kysely<Database>,
  dialect: SqlDialect,
  direction: MigrationDirection,
): Promise<MigrationState[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: with a second
  // Latchkey (or a test) in another schema of the same PostgreSQL database it would find theirs,
  // skip creating ours and fail. Pin it to the schema this connection works in.
  const migrationTableSchema = dialect.kind === 'postgres' ? await currentSchema(db) : undefined
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect.kind),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  })
  const changed = new Set<string>()
  if (direction !== 'status') {
    const { error, results } =
      direction === 'up' ? await migrator.migrateToLatest() : await migrator.migrateDown()
    for (const result of results ?? []) {
      if (result.status === 'Success') changed.add(result.migrationName)
    }
    if (error !== undefined) {
      throw error instanceof Error ? error : new Error('migration failed', { cause: error })
    }
  }
  const migrations = await migrator.getMigrations()
  return migrations.map((m) => ({
    name: m.name,
    executed: m.executedAt !== undefined,
    changed: changed.has(m.name),
  }))
}

export async function runMigrations(
  databaseUrl: string,
  direction: MigrationDirection,
): Promise<MigrationState[]> {
  const dialect = createSqlDialect(databaseUrl, { statementTimeoutMs: 0 })
  const db = openDatabase(dialect)
  try {
    return await migrate(db, dialect, direction)
  } finally {
    await db.destroy()
  }
}

export async function openSqlStore(
  databaseUrl: string,
  options: { readonly migrate?: boolean } = {},
): Promise<SqlStore> {
  const dialect = createSqlDialect(databaseUrl)
  // Migrations run on a pool of their own, without the per-statement bound requests get. SQLite
  // has no such bound, and `sqlite::memory:` exists only on the connection that made it.
  const migrateHere = options.migrate === true && dialect.kind === 'sqlite'
  if (options.migrate === true && !migrateHere) await runMigrations(databaseUrl, 'up')
  const db = openDatabase(dialect)
  try {
    const states = await migrate(db, dialect, migrateHere ? 'up' : 'status')
    const pending = states.filter((s) => !s.executed).map((s) => s.name)
    if (pending.length > 0) {
      throw new Error(
        `database schema is behind (pending: ${pending.join(', ')}); run \`latchkey migrate up\``,
      )
    }
  } catch (error) {
    await db.destroy()
    throw error
  }
  return new SqlStore(db, dialect)
}
