import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/env.ts'
import { apiDocsPlugin } from '../../src/http/api-docs.ts'
import { latchkeyPlugin, principalOf, requireRole, requireUser } from '../../src/http/plugin.ts'
import { openRuntime, type Runtime } from '../../src/server.ts'
import { bearer, newAccount } from '../helpers/app.ts'

// A library user mounting the API under a prefix in their own app, next to their own routes.
describe('latchkeyPlugin registered with a prefix in a host app', () => {
  let dir: string
  let runtime: Runtime
  let app: FastifyInstance
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-plugin-'))
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'test.db')}`,
      SECRET_KEY: 'cd'.repeat(32),
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'silent',
      PASSWORD_HASH_THREADS: '1',
    })
    runtime = await openRuntime(config)
    app = Fastify()
    const { auth } = runtime
    await app.register(latchkeyPlugin, {
      auth,
      http: config.http,
      rateLimiter: runtime.rateLimiter,
      prefix: '/api',
    })
    await app.register(apiDocsPlugin, { http: config.http, prefix: '/api' })
    app.get('/hello', async () => ({ hello: 'world' }))
    app.get('/private', { onRequest: requireUser(auth) }, async (request) => ({
      id: principalOf(request).user.id,
    }))
    app.get('/staff', { onRequest: [requireUser(auth), requireRole('admin')] }, async () => ({
      ok: true,
    }))
    await app.ready()
  })
  after(async () => {
    await app.close()
    await runtime.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves the API under the prefix', async () => {
    const account = newAccount()
    const registered = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: account,
    })
    assert.equal(registered.statusCode, 201, registered.body)
    assert.equal((await app.inject({ method: 'GET', url: '/api/healthz' })).statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url: '/auth/register' })).statusCode, 404)
    const unknown = await app.inject({ method: 'GET', url: '/api/nope' })
    assert.equal(unknown.statusCode, 404)
    assert.match(String(unknown.headers['content-type']), /^application\/problem\+json/)
  })

  it('keeps its headers, parsers and error handling to itself', async () => {
    const hello = await app.inject({ method: 'GET', url: '/hello' })
    assert.equal(hello.statusCode, 200)
    assert.equal(hello.headers['content-security-policy'], undefined, 'the host route is untouched')
  })

  it('exports requireUser, requireRole and principalOf for the host app’s routes', async () => {
    const account = newAccount()
    await app.inject({ method: 'POST', url: '/api/auth/register', payload: account })
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: account.email, password: account.password },
    })
    const token = String(login.json<{ access_token: string }>().access_token)
    const anonymous = await app.inject({ method: 'GET', url: '/private' })
    assert.equal(anonymous.statusCode, 401)
    const mine = await app.inject({ method: 'GET', url: '/private', headers: bearer(token) })
    assert.equal(mine.statusCode, 200)
    assert.equal(mine.json<{ id: string }>().id, login.json<{ user: { id: string } }>().user.id)
    assert.equal(
      (await app.inject({ method: 'GET', url: '/staff', headers: bearer(token) })).statusCode,
      403,
    )
  })

  it('documents the prefixed routes', async () => {
    const document = await app.inject({ method: 'GET', url: '/api/openapi.json' })
    assert.equal(document.statusCode, 200)
    const paths = Object.keys(document.json<{ paths: Record<string, unknown> }>().paths)
    assert.ok(paths.includes('/api/auth/login'), paths.join(', '))
    assert.equal((await app.inject({ method: 'GET', url: '/api/redoc' })).statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode, 200)
  })
})
