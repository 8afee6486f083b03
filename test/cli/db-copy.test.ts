// `latchkey db copy --to URL`: the embedded SQLite moved to PostgreSQL and to MariaDB. The copy
// keeps every row (counts checked), a server started on it lets in the users, sessions and tokens
// made before the copy, and its audit chain still verifies.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { loadConfig } from '../../src/config/env.ts'
import { buildServer, type BuiltServer } from '../../src/server.ts'
import { runLatchkey, type CLIResult } from '../helpers/cli.ts'
import { storeSkipReason } from '../helpers/services.ts'
import { createTestDatabase } from '../storage/sql-test-stores.ts'

const PASSWORD = 'violet-harbour-lantern-1987'
const COOKIE = '__Host-latchkey_session'
const dir = mkdtempSync(join(tmpdir(), 'latchkey-copy-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function envFor(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SECRET_KEY: 'cd'.repeat(32), // the copy is useless without the same secret: it seals the keys
    LOG_LEVEL: 'silent',
    RATE_LIMIT: 'off',
    SESSION_POLICY: 'multiple',
    PASSWORD_HASH_THREADS: '1',
  }
}

function latchkey(args: string[], databaseUrl: string): Promise<CLIResult> {
  return runLatchkey(args, envFor(databaseUrl))
}

function body(response: LightMyRequestResponse): Record<string, unknown> {
  return response.json<Record<string, unknown>>()
}

interface Before {
  readonly email: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly cookie: string
  /** A session logged out before the copy: it must stay refused on the copy. */
  readonly revokedToken: string
}

async function withServer<T>(
  databaseUrl: string,
  work: (server: BuiltServer) => Promise<T>,
): Promise<T> {
  const server = await buildServer(loadConfig(envFor(databaseUrl)))
  try {
    return await work(server)
  } finally {
    await server.close()
  }
}

/** A SQLite database with a user, a live session (JWT, refresh token, cookie) and a revoked one. */
async function populatedSqlite(name: string): Promise<{ url: string; before: Before }> {
  const url = `sqlite:${join(dir, `${name}.db`)}`
  const email = `${name}@example.com`
  const before = await withServer(url, async ({ app }) => {
    const registered = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email, password: PASSWORD },
    })
    assert.equal(registered.statusCode, 201, registered.body)
    const login = async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: PASSWORD } })
    const live = await login()
    const gone = await login()
    const revokedToken = String(body(gone)['access_token'])
    const logout = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { authorization: `Bearer ${revokedToken}` },
    })
    assert.equal(logout.statusCode, 204)
    const cookie = live.cookies.find((c) => c.name === COOKIE)?.value ?? ''
    return {
      email,
      accessToken: String(body(live)['access_token']),
      refreshToken: String(body(live)['refresh_token']),
      cookie,
      revokedToken,
    }
  })
  return { url, before }
}

for (const kind of ['postgres', 'mysql'] as const) {
  const skip = await storeSkipReason(kind)
  describe(`latchkey db copy: SQLite → ${kind}`, { skip }, () => {
    it('copies every row, and the copy serves the same users, sessions and tokens', async () => {
      const source = await populatedSqlite(`source-${kind}`)
      const target = await createTestDatabase(kind)
      try {
        const copy = await latchkey(
          ['db', 'copy', '--to', target.url, '--batch-size', '2'],
          source.url,
        )
        assert.equal(copy.code, 0, copy.err)
        assert.match(copy.out, /every count matches/)
        for (const table of [
          'users',
          'sessions',
          'refresh_tokens',
          'audit_events',
          'signing_keys',
        ]) {
          assert.match(
            copy.out,
            new RegExp(`^${table}\\s+(\\d+)\\s+\\1$`, 'm'),
            `${table} counted on both sides`,
          )
        }
        assert.match(copy.out, /^users\s+1\s+1$/m)
        assert.match(copy.out, /^sessions\s+2\s+2$/m)

        await withServer(target.url, async ({ app }) => {
          const { before } = source
          const me = await app.inject({
            method: 'GET',
            url: '/auth/me',
            headers: { authorization: `Bearer ${before.accessToken}` },
          })
          assert.equal(me.statusCode, 200, me.body)
          assert.equal(body(me)['email'], before.email)
          const byCookie = await app.inject({
            method: 'GET',
            url: '/auth/me',
            cookies: { [COOKIE]: before.cookie },
          })
          assert.equal(byCookie.statusCode, 200, 'the session cookie works on the copy')
          const revoked = await app.inject({
            method: 'GET',
            url: '/auth/me',
            headers: { authorization: `Bearer ${before.revokedToken}` },
          })
          assert.equal(
            revoked.statusCode,
            401,
            'a session logged out before the copy stays logged out',
          )
          const refreshed = await app.inject({
            method: 'POST',
            url: '/auth/refresh',
            payload: { refresh_token: before.refreshToken },
          })
          assert.equal(refreshed.statusCode, 200, refreshed.body)
          const login = await app.inject({
            method: 'POST',
            url: '/auth/login',
            payload: { email: before.email, password: PASSWORD },
          })
          assert.equal(login.statusCode, 200, 'the password hash moved intact')
        })
        const verify = await latchkey(['audit', 'verify'], target.url)
        assert.equal(verify.code, 0, verify.err)
        assert.match(verify.out, /audit log intact/)
      } finally {
        await target.drop()
      }
    })

    it('refuses a target that holds data unless --force', async () => {
      const source = await populatedSqlite(`again-${kind}`)
      const target = await createTestDatabase(kind)
      try {
        assert.equal((await latchkey(['db', 'copy', '--to', target.url], source.url)).code, 0)
        const refused = await latchkey(['db', 'copy', '--to', target.url], source.url)
        assert.equal(refused.code, 1)
        assert.match(
          refused.err,
          /target database is not empty \(table \w+ has rows\); give --force/,
        )
        const forced = await latchkey(['db', 'copy', '--to', target.url, '--force'], source.url)
        assert.equal(forced.code, 0, forced.err)
        assert.match(forced.out, /every count matches/)
        assert.equal((await latchkey(['audit', 'verify'], target.url)).code, 0)
      } finally {
        await target.drop()
      }
    })
  })
}

describe('latchkey db copy: usage', () => {
  it('needs --to, and will not copy a database onto itself', async () => {
    const url = `sqlite:${join(dir, 'self.db')}`
    assert.equal((await latchkey(['db', 'copy'], url)).code, 2)
    const self = await latchkey(['db', 'copy', '--to', url], url)
    assert.equal(self.code, 2)
    assert.match(self.err, /--to names DATABASE_URL itself/)
    const bad = await latchkey(['db', 'copy', '--to', 'http://example.com'], url)
    assert.equal(bad.code, 1)
    assert.match(bad.err, /--to: expected sqlite:PATH/)
  })
})
