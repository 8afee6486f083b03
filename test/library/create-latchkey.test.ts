// createLatchkey(): the one-call embedding, with the Fastify plugin under a prefix next to the
// host app's own guarded routes, exactly as the README shows it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { createLatchkey, type Latchkey } from '../../src/index.ts'
import { latchkeyPlugin, principalOf, requireRole, requireUser } from '../../src/fastify/index.ts'
import { bearer, newAccount } from '../helpers/app.ts'

describe('createLatchkey + latchkey/fastify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-embed-'))
  let latchkey: Latchkey
  let app: FastifyInstance
  before(async () => {
    latchkey = await createLatchkey({
      databaseUrl: `sqlite:${join(dir, 'app.db')}`,
      secret: Buffer.alloc(32, 9).toString('base64'),
      publicUrl: 'http://localhost:3001/auth-api',
      passwordHashThreads: 1,
      settings: { rateLimit: false, passwordMinLength: 12 },
    })
    app = Fastify()
    await app.register(latchkeyPlugin, { ...latchkey, prefix: '/auth-api' })
    app.get('/hello', { onRequest: requireUser(latchkey.auth) }, async (request) => ({
      hello: principalOf(request).user.email,
    }))
    app.get('/admin', { onRequest: [requireUser(latchkey.auth), requireRole('admin')] }, () => ({
      ok: true,
    }))
    await app.ready()
  })
  after(async () => {
    await app.close()
    await latchkey.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('applies the settings given and serves the API under the prefix', async () => {
    assert.equal(latchkey.auth.settings.passwordMinLength, 12)
    assert.equal(latchkey.auth.settings.issuer, 'http://localhost:3001/auth-api')
    const account = newAccount()
    const registered = await app.inject({
      method: 'POST',
      url: '/auth-api/auth/register',
      payload: account,
    })
    assert.equal(registered.statusCode, 201, registered.body)
    const login = await app.inject({
      method: 'POST',
      url: '/auth-api/auth/login',
      payload: { email: account.email, password: account.password },
    })
    const token = String(login.json<{ access_token: string }>().access_token)

    assert.equal((await app.inject({ url: '/hello' })).statusCode, 401)
    const hello = await app.inject({ url: '/hello', headers: bearer(token) })
    assert.deepEqual(hello.json(), { hello: account.email })
    assert.equal((await app.inject({ url: '/admin', headers: bearer(token) })).statusCode, 403)
    await latchkey.auth.setRole(account.email, 'admin', { ip: null, userAgent: null })
    // A privilege change ends the user's sessions (SEC-SESS-03): the old token is refused at once,
    // a fresh login carries the new role.
    assert.equal((await app.inject({ url: '/admin', headers: bearer(token) })).statusCode, 401)
    const again = await app.inject({
      method: 'POST',
      url: '/auth-api/auth/login',
      payload: { email: account.email, password: account.password },
    })
    const adminToken = String(again.json<{ access_token: string }>().access_token)
    assert.equal((await app.inject({ url: '/admin', headers: bearer(adminToken) })).statusCode, 200)
  })

  it('refuses a short secret', async () => {
    await assert.rejects(
      createLatchkey({
        databaseUrl: `sqlite:${join(dir, 'other.db')}`,
        secret: 'too-short',
        publicUrl: 'http://localhost:3001',
      }),
      /secret/,
    )
  })
})
