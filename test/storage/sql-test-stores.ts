// Each call makes a database of its own (a temp file, a fresh PostgreSQL schema, a fresh MariaDB
// database) and drops it again on close, so tests never see each other's rows and a tampered
// audit chain stays in its own test.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { createConnection } from 'mysql2/promise'
import pg from 'pg'
import type { StoreTx } from '../../src/core/ports.ts'
import type { SqlKind } from '../../src/storage/sql/dialects/sql-dialect.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import type { Database } from '../../src/storage/sql/schema.ts'
import type { SqlStore } from '../../src/storage/sql/store.ts'
import { mysqlUrl, postgresUrl } from '../helpers/services.ts'
import type { AuditTamper, ConformanceStore } from './store-conformance.ts'

export interface TestDatabase {
  readonly url: string
  drop(): Promise<void>
}

function uniqueName(): string {
  return `latchkey_test_${randomBytes(6).toString('hex')}`
}

/** An empty database (no tables) reachable at `url`, until `drop()`. */
export async function createTestDatabase(kind: SqlKind): Promise<TestDatabase> {
  const name = uniqueName()
  switch (kind) {
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'latchkey-store-'))
      return {
        url: `sqlite:${join(dir, 'test.db')}`,
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      }
    }
    case 'postgres': {
      const admin = new pg.Client({ connectionString: postgresUrl() })
      await admin.connect()
      await admin.query(`create schema ${name}`)
      const url = new URL(postgresUrl())
      url.searchParams.set('options', `-c search_path=${name}`)
      return {
        url: url.toString(),
        async drop() {
          await admin.query(`drop schema ${name} cascade`)
          await admin.end()
        },
      }
    }
    case 'mysql': {
      const admin = await createConnection(mysqlUrl())
      await admin.query(`create database ${name}`)
      const url = new URL(mysqlUrl())
      url.pathname = `/${name}`
      return {
        url: url.toString(),
        async drop() {
          await admin.query(`drop database ${name}`)
          await admin.end()
        },
      }
    }
  }
}

/** Changes audit rows behind the store's back, as someone with database access could. */
function sqlTamper(db: Kysely<Database>): AuditTamper {
  return {
    async editAuditData(id, data) {
      await db.updateTable('audit_events').set({ data }).where('id', '=', id).execute()
    },
    async deleteAuditEvent(id) {
      await db.deleteFrom('audit_events').where('id', '=', id).execute()
    },
  }
}

function conformanceStore(store: SqlStore, database: TestDatabase): ConformanceStore {
  return {
    users: store.users,
    sessions: store.sessions,
    refreshTokens: store.refreshTokens,
    audit: store.audit,
    oneTimeTokens: store.oneTimeTokens,
    mfa: store.mfa,
    webauthn: store.webauthn,
    identities: store.identities,
    loginThrottle: store.loginThrottle,
    keys: store.keys,
    transaction: <T>(fn: (tx: StoreTx) => Promise<T>) => store.transaction(fn),
    ping: () => store.ping(),
    tamper: sqlTamper(store.db),
    async close() {
      await store.close()
      await database.drop()
    },
  }
}

/** A migrated SqlStore over a fresh test database, dropped again by close(). */
export async function openTestStore(kind: SqlKind): Promise<ConformanceStore> {
  const database = await createTestDatabase(kind)
  try {
    return conformanceStore(await openSqlStore(database.url, { migrate: true }), database)
  } catch (error) {
    await database.drop()
    throw error
  }
}

export const openSqliteTestStore = (): Promise<ConformanceStore> => openTestStore('sqlite')
export const openPostgresTestStore = (): Promise<ConformanceStore> => openTestStore('postgres')
export const openMysqlTestStore = (): Promise<ConformanceStore> => openTestStore('mysql')
