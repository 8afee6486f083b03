import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'

function assertHeaders(response: LightMyRequestResponse, what: string): void {
  const csp = String(response.headers['content-security-policy'])
  for (const directive of [
    "default-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ]) {
    assert.ok(csp.includes(directive), `${what}: CSP has ${directive}`)
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what)
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what)
  assert.equal(response.headers['referrer-policy'], 'no-referrer', what)
  assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin', what)
  assert.equal(response.headers['cross-origin-resource-policy'], 'same-origin', what)
  assert.equal(response.headers['x-frame-options'], 'DENY', what)
  assert.equal(response.headers['x-powered-by'], undefined, what)
}

describe('security headers on every JSON answer', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.close()
  })

  const requests: [string, InjectOptions, number][] = [
    ['a 200', { method: 'GET', url: '/healthz' }, 200],
    ['a 201 with user data', { method: 'POST', url: '/auth/register', payload: newAccount() }, 201],
    ['a 401', { method: 'GET', url: '/auth/me' }, 401],
    ['a 404 for an unknown route', { method: 'GET', url: '/no/such/route' }, 404],
    ['a 404 for an unknown method', { method: 'PUT', url: '/auth/login' }, 404],
    [
      'a 400 for bad JSON',
      {
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      },
      400,
    ],
    [
      'a 400 for text/plain',
      {
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      },
      400,
    ],
    [
      'a 413',
      {
        method: 'POST',
        url: '/auth/login',
        payload: { email: 'a@b.co', password: 'p'.repeat(100_000) },
      },
      413,
    ],
    ['a 422', { method: 'POST', url: '/auth/login', payload: {} }, 422],
    [
      'a 403 CSRF refusal',
      {
        method: 'POST',
        url: '/auth/login',
        headers: { origin: 'https://evil.example' },
        payload: {},
      },
      403,
    ],
  ]
  for (const [what, request, status] of requests) {
    it(`are present on ${what}`, async () => {
      const response = await t.app.inject(request)
      assert.equal(response.statusCode, status, response.body)
      assertHeaders(response, what)
      assert.equal(response.headers['cache-control'], 'no-store', `${what}: nothing cached`)
      assert.equal(response.headers['strict-transport-security'], undefined, 'no HSTS over http')
    })
  }

  it('errors are problem+json and never echo the input', async () => {
    const marker = '<script>alert(1)</script>'
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: marker, password: marker, [marker]: marker },
    })
    assert.equal(response.statusCode, 422)
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
    assert.ok(!response.body.includes('<script>'))
  })
})

describe('HSTS when the public URL is https', () => {
  it('is sent on JSON answers and errors', async () => {
    const t = await makeApp({ PUBLIC_URL: 'https://auth.example.com' })
    try {
      for (const url of ['/healthz', '/nope']) {
        const response = await t.app.inject({ method: 'GET', url })
        assert.match(String(response.headers['strict-transport-security']), /max-age=\d{7,}/)
      }
    } finally {
      await t.close()
    }
  })
})
