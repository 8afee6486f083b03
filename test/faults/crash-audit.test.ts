// kill -9 in the middle of a burst of writes, on SQLite and on PostgreSQL, then a restart: every
// acknowledged change is there, every change has its audit event and every event its change
// (they commit in one transaction), and the hash chain verifies (`latchkey audit verify`).
// Only the test's own server is killed, so this runs with the rest of the suite.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { randomBytes } from 'node:crypto'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import {
  call,
  PASSWORD,
  runLatchkey,
  startServer,
  type ServerProcess,
} from '../helpers/server-process.ts'
import { storeSkipReason } from '../helpers/services.ts'
import { createPostgresSchema } from './postgres-schema.ts'

interface Acknowledged {
  readonly emails: string[]
  /** Session ids whose logout answered 204. */
  readonly loggedOut: string[]
}

function sessionIdOf(accessToken: string): string {
  const payload: unknown = JSON.parse(
    Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString(),
  )
  const sid: unknown =
    typeof payload === 'object' && payload !== null ? Reflect.get(payload, 'sid') : null
  if (typeof sid !== 'string') throw new Error('no sid in the access token')
  return sid
}

/** register → login → logout, over and over, recording what the server acknowledged. */
async function burst(
  server: ServerProcess,
  acknowledged: Acknowledged,
  stop: () => boolean,
): Promise<void> {
  while (!stop()) {
    try {
      const email = `crash-${randomBytes(6).toString('hex')}@example.com`
      const registered = await call(server.url, 'POST', '/auth/register', {
        body: { email, password: PASSWORD },
      })
      if (registered.status !== 201) continue
      acknowledged.emails.push(email)
      const login = await call(server.url, 'POST', '/auth/login', {
        body: { email, password: PASSWORD },
      })
      const token = login.body['access_token']
      if (typeof token !== 'string') continue
      const logout = await call(server.url, 'POST', '/auth/logout', { token })
      if (logout.status === 204) acknowledged.loggedOut.push(sessionIdOf(token))
    } catch {
      return // the server was killed under this request
    }
  }
}

async function crashUnderWrites(databaseUrl: string, cwd: string): Promise<Acknowledged> {
  const env = { DATABASE_URL: databaseUrl, PASSWORD_HASH_THREADS: '2' }
  const server = await startServer(env, { cwd })
  const acknowledged: Acknowledged = { emails: [], loggedOut: [] }
  let killed = false
  const workers = Array.from({ length: 6 }, () => burst(server, acknowledged, () => killed))
  await sleep(2_500)
  killed = true
  await server.stop('SIGKILL')
  await Promise.all(workers)
  // A restart on the same database after the crash.
  const restarted = await startServer(env, { cwd })
  try {
    assert.equal((await call(restarted.url, 'GET', '/readyz')).status, 200)
  } finally {
    assert.equal(await restarted.stop(), 0, restarted.output())
  }
  return acknowledged
}

async function assertEveryChangeHasItsEvent(
  databaseUrl: string,
  acknowledged: Acknowledged,
): Promise<void> {
  const store = await openSqlStore(databaseUrl)
  try {
    const { db } = store
    const users = await db.selectFrom('users').select(['id', 'email']).execute()
    const sessions = await db.selectFrom('sessions').select(['id', 'revoked_at']).execute()
    const events = await db
      .selectFrom('audit_events')
      .select(['type', 'user_id', 'session_id'])
      .execute()
    const eventKeys = new Set(
      events.map((e) => `${e.type}|${e.user_id ?? ''}|${e.session_id ?? ''}`),
    )
    const has = (type: string, userId: string | null, sessionId: string | null): boolean =>
      eventKeys.has(`${type}|${userId ?? ''}|${sessionId ?? ''}`)
    const sessionEvents = new Map(
      events.filter((e) => e.session_id !== null).map((e) => [`${e.type}|${e.session_id}`, e]),
    )

    const emails = new Set(users.map((u) => u.email))
    assert.deepEqual(
      acknowledged.emails.filter((e) => !emails.has(e)),
      [],
      'acknowledged registrations are there',
    )
    assert.deepEqual(
      users.filter((u) => !has('user.registered', u.id, null)),
      [],
      'every user has user.registered',
    )
    assert.deepEqual(
      sessions.filter((s) => !sessionEvents.has(`user.login_succeeded|${s.id}`)),
      [],
      'every session has its login event',
    )
    const revoked = sessions.filter((s) => s.revoked_at !== null)
    assert.deepEqual(
      revoked.filter((s) => !sessionEvents.has(`user.logout|${s.id}`)),
      [],
      'every revocation has its logout event',
    )
    const revokedIds = new Set(revoked.map((s) => s.id))
    assert.deepEqual(
      acknowledged.loggedOut.filter((id) => !revokedIds.has(id)),
      [],
      'acknowledged logouts are there',
    )
    // And the other way: no event without its change.
    const userIds = new Set(users.map((u) => u.id))
    const sessionIds = new Set(sessions.map((s) => s.id))
    assert.deepEqual(
      events.filter((e) => e.type === 'user.registered' && !userIds.has(e.user_id ?? '')),
      [],
    )
    assert.deepEqual(
      events.filter(
        (e) => e.type === 'user.login_succeeded' && !sessionIds.has(e.session_id ?? ''),
      ),
      [],
    )
    assert.deepEqual(
      events.filter((e) => e.type === 'user.logout' && !revokedIds.has(e.session_id ?? '')),
      [],
    )
    assert.ok(users.length >= 5, `a real burst (${users.length} users)`)
  } finally {
    await store.close()
  }
  const verify = runLatchkey(['audit', 'verify'], { DATABASE_URL: databaseUrl })
  assert.equal(verify.status, 0, verify.stderr)
  assert.match(verify.stdout, /audit log intact: \d+ events/)
}

const postgresSkip = await storeSkipReason('postgres')

describe('kill -9 during a burst of writes', () => {
  it('SQLite: no change without its event, chain intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-crash-'))
    try {
      const url = `sqlite:${join(dir, 'crash.db')}`
      await assertEveryChangeHasItsEvent(url, await crashUnderWrites(url, dir))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: no change without its event, chain intact', { skip: postgresSkip }, async () => {
    const schema = await createPostgresSchema()
    try {
      await assertEveryChangeHasItsEvent(
        schema.url,
        await crashUnderWrites(schema.url, process.cwd()),
      )
    } finally {
      await schema.drop()
    }
  })
})
