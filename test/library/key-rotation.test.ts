// `latchkey keys rotate`: the new key signs, old tokens keep verifying, both keys are in the JWKS,
// and a second node sharing the database picks the new key up without a restart.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { runKeys } from '../../src/cli/commands/keys.ts'
import { loadConfig } from '../../src/config/env.ts'
import { buildServer } from '../../src/server.ts'
import { bearer, json, makeTestServer, signUp, type TestServer } from '../helpers/app.ts'

const silent = { out: () => undefined, err: () => undefined }

function kidOf(token: string): string {
  const header: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString())
  assert.ok(typeof header === 'object' && header !== null && 'kid' in header)
  return String(header.kid)
}

async function jwksKids(server: TestServer | { app: TestServer['app'] }): Promise<string[]> {
  const response = await server.app.inject({ url: '/.well-known/jwks.json' })
  const keys = json(response)['keys'] as { kid: string }[] // JWKS shape, checked by service tests
  return keys.map((k) => k.kid)
}

describe('signing-key rotation', () => {
  const servers: TestServer[] = []
  after(async () => {
    for (const server of servers) await server.cleanup()
  })

  it('signs with the new key after a reload; old tokens verify; both keys are published', async () => {
    const server = await makeTestServer()
    servers.push(server)
    const before = await signUp(server.app)
    const oldKid = kidOf(before.accessToken)
    assert.deepEqual(await jwksKids(server), [oldKid])

    const lines: string[] = []
    const output = { out: (line: string) => lines.push(line), err: () => undefined }
    assert.equal(await runKeys(server.config, 'rotate', output), 0)
    await server.auth.reloadSigningKeys()

    const kids = await jwksKids(server)
    assert.equal(kids.length, 2)
    assert.ok(kids.includes(oldKid))
    const after = await signUp(server.app)
    const newKid = kidOf(after.accessToken)
    assert.notEqual(newKid, oldKid)
    assert.ok(kids.includes(newKid))
    assert.match(lines.join('\n'), new RegExp(newKid))

    for (const token of [before.accessToken, after.accessToken]) {
      const me = await server.app.inject({ url: '/auth/me', headers: bearer(token) })
      assert.equal(me.statusCode, 200, me.body)
    }
    lines.length = 0
    assert.equal(await runKeys(server.config, 'list', output), 0)
    assert.match(lines[0] ?? '', new RegExp(`^${newKid} .*signs`))
  })

  it('a second node verifies a token signed with a key it has not loaded yet', async () => {
    const first = await makeTestServer()
    servers.push(first)
    // A second server over the same database and secret, built before the rotation.
    const second = await buildServer(loadConfig({ ...envOf(first), LOG_LEVEL: 'silent' }))
    try {
      await runKeys(first.config, 'rotate', silent)
      await first.auth.reloadSigningKeys()
      const user = await signUp(first.app)
      assert.equal((await jwksKids(second)).length, 1, 'the second node has not reloaded yet')
      const me = await second.app.inject({ url: '/auth/me', headers: bearer(user.accessToken) })
      assert.equal(me.statusCode, 200, me.body)
      assert.equal((await jwksKids(second)).length, 2)
    } finally {
      await second.close()
    }
  })
})

function envOf(server: TestServer): Record<string, string> {
  return {
    DATABASE_URL: server.config.databaseUrl,
    SECRET_KEY: 'ab'.repeat(32),
    SECRET_KEY_FILE: server.config.secretKeyFile,
    RATE_LIMIT: 'off',
    PASSWORD_HASH_THREADS: '1',
  }
}
