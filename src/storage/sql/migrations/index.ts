// A static list rather than Kysely's FileMigrationProvider: it works the same from src (tsx)
// and from the compiled dist, and a bundler cannot lose a migration file.
import type { Kysely, Migration, MigrationProvider } from 'kysely'
import type { SqlKind } from '../dialects/sql-dialect.js'
import * as initial from './0001-initial.js'
import * as factorsAndTokens from './0002-factors-and-tokens.js'
import * as liveSessionsIndex from './0003-live-sessions-index.js'
import * as sessionExpiryIndex from './0004-session-expiry-index.js'
import * as tokenAndThrottleExpiryIndexes from './0005-token-and-throttle-expiry-indexes.js'

interface DialectMigration {
  up(db: Kysely<unknown>, kind: SqlKind): Promise<void>
  down(db: Kysely<unknown>, kind: SqlKind): Promise<void>
}

// Names sort in the order they run; never rename or edit one that has shipped.
const MIGRATIONS: Readonly<Record<string, DialectMigration>> = {
  '0001-initial': initial,
  '0002-factors-and-tokens': factorsAndTokens,
  '0003-live-sessions-index': liveSessionsIndex,
  '0004-session-expiry-index': sessionExpiryIndex,
  '0005-token-and-throttle-expiry-indexes': tokenAndThrottleExpiryIndexes,
}

/** Migrations get the dialect, for the few DDL details that differ (MySQL table options). */
export function migrationProvider(kind: SqlKind): MigrationProvider {
  const bound: Record<string, Migration> = {}
  for (const [name, migration] of Object.entries(MIGRATIONS)) {
    bound[name] = {
      up: (db) => migration.up(db, kind),
      down: (db) => migration.down(db, kind),
    }
  }
  return { getMigrations: async () => bound }
}
