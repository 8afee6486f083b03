// Production switches: Prometheus metrics (off by default, token-protected), the https redirect
// behind a trusted proxy with HSTS, and request ids in the logs.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { bearer, makeTestServer, newAccount, signUp, type TestServer } from '../helpers/app.ts'

const METRICS_TOKEN = 'a-scrape-token-for-tests'

describe('GET /metrics', () => {
  const servers: TestServer[] = []
  after(async () => {
    for (const server of servers) await server.cleanup()
  })

  it('is not served unless METRICS=on', async () => {
    const server = await makeTestServer()
    servers.push(server)
    const response = await server.app.inject({ url: '/metrics' })
    assert.equal(response.statusCode, 404)
  })

  it('counts login outcomes, the hash queue and latency; only for the token', async () => {
    const server = await makeTestServer({ METRICS: 'on', METRICS_TOKEN })
    servers.push(server)
    await signUp(server.app)
    const wrong = newAccount()
    await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: wrong.email, password: wrong.password },
    })
    assert.equal((await server.app.inject({ url: '/metrics' })).statusCode, 401)
    assert.equal(
      (await server.app.inject({ url: '/metrics', headers: bearer('not-the-token-at-all') }))
        .statusCode,
      401,
    )
    const response = await server.app.inject({ url: '/metrics', headers: bearer(METRICS_TOKEN) })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/plain/)
    const text = response.body
    assert.match(text, /latchkey_login_total\{outcome="succeeded",reason="none"\} 1/)
    assert.match(text, /latchkey_login_total\{outcome="failed",reason="unknown_user"\} 1/)
    assert.match(text, /latchkey_password_hash_queue_depth 0/)
    assert.match(
      text,
      /latchkey_http_request_duration_seconds_count\{method="POST",route="\/auth\/login",status_code="200"\} 1/,
    )
    assert.match(text, /latchkey_process_cpu_user_seconds_total/)
  })
})

describe('request ids', () => {
  it('every answer names its random request id, which the client cannot choose', async () => {
    const server = await makeTestServer()
    try {
      const first = await server.app.inject({
        url: '/healthz',
        headers: { 'x-request-id': 'mine' },
      })
      const second = await server.app.inject({ url: '/auth/me' })
      const ids = [first, second].map((r) => String(r.headers['x-request-id']))
      for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]{22}$/)
      assert.notEqual(ids[0], ids[1])
    } finally {
      await server.cleanup()
    }
  })
})

describe('https redirect and HSTS (PUBLIC_URL https)', () => {
  const servers: TestServer[] = []
  after(async () => {
    for (const server of servers) await server.cleanup()
  })

  it('redirects plain http reported by a trusted proxy, keeps probes, sends HSTS', async () => {
    const server = await makeTestServer({
      PUBLIC_URL: 'https://auth.example.com',
      TRUST_PROXY: '10.0.0.1',
    })
    servers.push(server)
    const viaProxy = (proto: string, url: string, remoteAddress = '10.0.0.1') =>
      server.app.inject({ url, remoteAddress, headers: { 'x-forwarded-proto': proto } })

    const plain = await viaProxy('http', '/auth/me?x=1')
    assert.equal(plain.statusCode, 308)
    assert.equal(plain.headers.location, 'https://auth.example.com/auth/me?x=1')
    assert.equal((await viaProxy('http', '/healthz')).statusCode, 200)

    const secure = await viaProxy('https', '/healthz')
    assert.match(String(secure.headers['strict-transport-security']), /max-age=31536000/)
    assert.equal((await viaProxy('https', '/auth/me')).statusCode, 401)
    // Someone else's X-Forwarded-Proto is not believed: claiming https over plain http from an
    // untrusted address does not skip the redirect.
    assert.equal((await viaProxy('https', '/auth/me', '192.0.2.7')).statusCode, 308)
  })

  it('without TRUST_PROXY nothing is redirected (TLS is the proxy’s business)', async () => {
    const server = await makeTestServer({ PUBLIC_URL: 'https://auth.example.com' })
    servers.push(server)
    const response = await server.app.inject({
      url: '/auth/me',
      headers: { 'x-forwarded-proto': 'http' },
    })
    assert.equal(response.statusCode, 401)
  })
})
