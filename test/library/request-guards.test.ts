// The framework-neutral verifyRequest (Fetch API Request) and the Express guards, over the real
// Auth object: bearer and cookie, revocation at once, roles, and the CSRF rule for cookies.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import express from 'express'
import { requireRole, requireUser } from '../../src/express/index.ts'
import { createRequestVerifier, problemResponse } from '../../src/verify/verify-request.ts'
import {
  PUBLIC_URL,
  SESSION_COOKIE,
  bearer,
  makeTestServer,
  signUp,
  type TestServer,
} from '../helpers/app.ts'

describe('verifyRequest(request: Request)', () => {
  let server: TestServer
  before(async () => {
    server = await makeTestServer({ PUBLIC_URL })
  })
  after(() => server.cleanup())

  it('accepts a live bearer token or cookie and refuses once the session is revoked', async () => {
    const { verifyRequest } = createRequestVerifier(server.auth)
    const user = await signUp(server.app)
    const ok = await verifyRequest(
      new Request('http://app.test/x', { headers: bearer(user.accessToken) }),
    )
    assert.ok(ok.ok)
    assert.equal(ok.principal.user.id, user.id)
    const viaCookie = await verifyRequest(
      new Request('http://app.test/x', {
        headers: { cookie: `${SESSION_COOKIE}=${user.sessionToken}` },
      }),
    )
    assert.ok(viaCookie.ok)

    await server.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(user.accessToken),
    })
    const revoked = await verifyRequest(
      new Request('http://app.test/x', { headers: bearer(user.accessToken) }),
    )
    assert.equal(revoked.ok, false)
    assert.ok(!revoked.ok)
    assert.equal(revoked.status, 401)
    assert.equal(revoked.problem.code, 'session_revoked')
    const response = problemResponse(revoked)
    assert.equal(response.status, 401)
    assert.equal(response.headers.get('content-type'), 'application/problem+json')
  })

  it('checks the role, and refuses cross-site cookie posts', async () => {
    const { verifyRequest } = createRequestVerifier(server.auth)
    const user = await signUp(server.app)
    const notAdmin = await verifyRequest(
      new Request('http://app.test/x', { headers: bearer(user.accessToken) }),
      { role: 'admin' },
    )
    assert.ok(!notAdmin.ok)
    assert.equal(notAdmin.status, 403)
    const cookie = `${SESSION_COOKIE}=${user.sessionToken}`
    const crossSite = await verifyRequest(
      new Request('http://app.test/x', {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
        body: '{}',
      }),
    )
    assert.ok(!crossSite.ok)
    assert.equal(crossSite.problem.code, 'csrf_failed')
    const sameSite = await verifyRequest(
      new Request('http://app.test/x', {
        method: 'POST',
        headers: { cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
        body: '{}',
      }),
    )
    assert.ok(sameSite.ok)
    const none = await verifyRequest(new Request('http://app.test/x'))
    assert.ok(!none.ok)
    assert.equal(none.problem.code, 'not_authenticated')
  })
})

describe('latchkey/express requireUser / requireRole', () => {
  let server: TestServer
  let base: string
  let close: () => Promise<void>
  before(async () => {
    server = await makeTestServer({ PUBLIC_URL })
    const app = express()
    app.get('/private', requireUser(server.auth), (req, res) => {
      res.json({ id: req.user?.id, via: req.principal?.via })
    })
    app.get('/admin', requireUser(server.auth), requireRole('admin'), (_req, res) => {
      res.json({ ok: true })
    })
    const listener = app.listen(0, '127.0.0.1')
    await once(listener, 'listening')
    base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}` // a TCP listener
    close = () => new Promise((resolve) => listener.close(() => resolve()))
  })
  after(async () => {
    await close()
    await server.cleanup()
  })

  it('401 without a credential, 200 with one, 403 without the role', async () => {
    const anonymous = await fetch(`${base}/private`)
    assert.equal(anonymous.status, 401)
    assert.equal(anonymous.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    assert.equal(((await anonymous.json()) as { code: string }).code, 'not_authenticated')

    const user = await signUp(server.app)
    const withToken = await fetch(`${base}/private`, { headers: bearer(user.accessToken) })
    assert.equal(withToken.status, 200)
    assert.deepEqual(await withToken.json(), { id: user.id, via: 'bearer' })
    const withCookie = await fetch(`${base}/private`, {
      headers: { cookie: `${SESSION_COOKIE}=${user.sessionToken}` },
    })
    assert.deepEqual(await withCookie.json(), { id: user.id, via: 'cookie' })

    const forbidden = await fetch(`${base}/admin`, { headers: bearer(user.accessToken) })
    assert.equal(forbidden.status, 403)
  })

  it('refuses a revoked session at once and drops its cookie', async () => {
    const user = await signUp(server.app)
    await server.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(user.accessToken),
    })
    const viaCookie = await fetch(`${base}/private`, {
      headers: { cookie: `${SESSION_COOKIE}=${user.sessionToken}` },
    })
    assert.equal(viaCookie.status, 401)
    assert.match(viaCookie.headers.get('set-cookie') ?? '', /Max-Age=0/)
    const viaToken = await fetch(`${base}/private`, { headers: bearer(user.accessToken) })
    assert.equal(viaToken.status, 401)
  })
})
