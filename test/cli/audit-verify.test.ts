// `latchkey audit verify` finds an audit row edited or deleted by hand (raw SQL behind the
// store's back), on SQLite and PostgreSQL: exit 1 and one line naming the event.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CLI_CONTEXT } from '../../src/cli/runtime.ts'
import { loadConfig } from '../../src/config/env.ts'
import { openRuntime } from '../../src/server.ts'
import type { SqlKind } from '../../src/storage/sql/dialects/sql-dialect.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import { runLatchkey, type CLIResult } from '../helpers/cli.ts'
import { storeSkipReason } from '../helpers/services.ts'
import { createTestDatabase } from '../storage/sql-test-stores.ts'

const PASSWORD = 'violet-harbour-lantern-1987'

function envFor(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SECRET_KEY: 'cd'.repeat(32),
    LOG_LEVEL: 'silent',
    PASSWORD_HASH_THREADS: '1',
  }
}

function latchkey(args: string[], databaseUrl: string): Promise<CLIResult> {
  return runLatchkey(args, envFor(databaseUrl))
}

/** A database with a few real audit events (three sign-ups), and their ids oldest first. */
async function databaseWithEvents(
  kind: SqlKind,
): Promise<{ url: string; ids: string[]; drop(): Promise<void> }> {
  const database = await createTestDatabase(kind)
  const runtime = await openRuntime(loadConfig(envFor(database.url)))
  try {
    for (const name of ['ada', 'grace', 'edsger']) {
      await runtime.auth.createUser(
        { email: `${name}@example.com`, password: PASSWORD },
        CLI_CONTEXT,
      )
    }
  } finally {
    await runtime.close()
  }
  const store = await openSqlStore(database.url)
  try {
    const rows = await store.db.selectFrom('audit_events').select('id').orderBy('seq').execute()
    return { url: database.url, ids: rows.map((row) => row.id), drop: () => database.drop() }
  } finally {
    await store.close()
  }
}

async function tamper(
  url: string,
  change: (db: Awaited<ReturnType<typeof openSqlStore>>['db']) => Promise<unknown>,
): Promise<void> {
  const store = await openSqlStore(url)
  try {
    await change(store.db)
  } finally {
    await store.close()
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = await storeSkipReason(kind)
  describe(`latchkey audit verify (${kind})`, { skip }, () => {
    it('passes an untouched log and reports how many events it checked', async () => {
      const db = await databaseWithEvents(kind)
      try {
        const result = await latchkey(['audit', 'verify'], db.url)
        assert.equal(result.code, 0, result.err)
        assert.match(result.out, new RegExp(`audit log intact: ${db.ids.length} events`))
      } finally {
        await db.drop()
      }
    })

    it('finds an edited event', async () => {
      const db = await databaseWithEvents(kind)
      try {
        const edited = db.ids[1] ?? ''
        await tamper(db.url, (sql) =>
          sql
            .updateTable('audit_events')
            .set({ ip: '203.0.113.66' })
            .where('id', '=', edited)
            .execute(),
        )
        const result = await latchkey(['audit', 'verify'], db.url)
        assert.equal(result.code, 1)
        assert.match(
          result.err,
          new RegExp(
            `audit log BROKEN at event ${edited} \\(1 events before it verify\\): event content changed`,
          ),
        )
      } finally {
        await db.drop()
      }
    })

    it('finds a deleted event (the next one no longer fits)', async () => {
      const db = await databaseWithEvents(kind)
      try {
        const [, deleted, next] = db.ids
        await tamper(db.url, (sql) =>
          sql
            .deleteFrom('audit_events')
            .where('id', '=', deleted ?? '')
            .execute(),
        )
        const result = await latchkey(['audit', 'verify'], db.url)
        assert.equal(result.code, 1)
        assert.match(
          result.err,
          new RegExp(`BROKEN at event ${next ?? ''} .*previous event missing or changed`),
        )
      } finally {
        await db.drop()
      }
    })

    it('finds the newest event deleted', async () => {
      const db = await databaseWithEvents(kind)
      try {
        await tamper(db.url, (sql) =>
          sql
            .deleteFrom('audit_events')
            .where('id', '=', db.ids.at(-1) ?? '')
            .execute(),
        )
        const result = await latchkey(['audit', 'verify'], db.url)
        assert.equal(result.code, 1)
        assert.match(result.err, /latest events missing/)
      } finally {
        await db.drop()
      }
    })
  })
}
