import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, makeApp, type TestApp } from '../helpers/app.ts'

/** Every JSON endpoint of api.md that this version serves (no mail, 2FA or OAuth yet). */
const CONTRACT_ROUTES = [
  'post /auth/register',
  'post /auth/login',
  'post /auth/refresh',
  'post /auth/logout',
  'post /auth/logout-all',
  'get /auth/me',
  'patch /auth/me',
  'post /auth/password/change',
  'get /auth/sessions',
  'delete /auth/sessions/{id}',
  'get /users',
  'get /users/{id}',
  'patch /users/{id}',
  'post /users/{id}/revoke-sessions',
  'get /users/{id}/logs',
  'get /audit/users/{id}',
  'get /audit',
  'get /healthz',
  'get /readyz',
  'get /.well-known/jwks.json',
  // Two-factor (issue 4).
  'post /auth/login/mfa',
  'get /auth/2fa',
  'post /auth/2fa/setup',
  'post /auth/2fa/enable',
  'post /auth/2fa/disable',
  'post /auth/2fa/recovery-codes',
  'post /auth/passkeys/register/options',
  'post /auth/passkeys/register/verify',
  'post /auth/passkeys/login/options',
  'post /auth/passkeys/login/verify',
  'get /auth/passkeys',
  'delete /auth/passkeys/{id}',
  // Mail: verification and password reset (issue 3).
  'post /auth/email/verify',
  'post /auth/email/verify/resend',
  'post /auth/password/forgot',
  'post /auth/password/reset',
  // Social login (issue 7).
  'get /auth/oauth/{provider}/start',
  'get /auth/oauth/{provider}/callback',
  'get /auth/oauth/providers',
  'post /auth/oauth/{provider}/token',
  'post /auth/oauth/{provider}/link',
  'get /auth/identities',
  'delete /auth/identities/{id}',
  // Token introspection for resource servers, RFC 7662 (issue 9).
  'post /oauth/introspect',
].sort()

interface Operation {
  tags?: string[]
  summary?: string
  responses?: Record<string, unknown>
  security?: unknown[]
}

describe('service endpoints and API documentation', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.close()
  })

  it('GET /healthz answers 200', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok' })
  })

  it('GET /readyz answers 200 while the store answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(response.statusCode, 200)
  })

  it('GET /.well-known/jwks.json publishes public Ed25519 keys only', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    assert.equal(response.statusCode, 200)
    const keys = json(response)['keys'] as Record<string, unknown>[]
    assert.ok(keys.length >= 1)
    for (const key of keys) {
      assert.equal(key['kty'], 'OKP')
      assert.equal(key['crv'], 'Ed25519')
      assert.equal(typeof key['x'], 'string')
      assert.equal(typeof key['kid'], 'string')
      assert.equal(key['d'], undefined, 'no private part')
    }
    assert.match(String(response.headers['cache-control']), /max-age/)
  })

  describe('GET /openapi.json', () => {
    let document: Record<string, unknown>
    before(async () => {
      const response = await t.app.inject({ method: 'GET', url: '/openapi.json' })
      assert.equal(response.statusCode, 200)
      document = json(response)
    })

    it('is OpenAPI 3.1 titled Latchkey with bearer and cookie security schemes', () => {
      assert.match(String(document['openapi']), /^3\.1\./)
      assert.equal((document['info'] as Record<string, unknown>)['title'], 'Latchkey')
      const schemes = (
        document['components'] as { securitySchemes: Record<string, Record<string, unknown>> }
      ).securitySchemes
      assert.equal(schemes['bearer']?.['scheme'], 'bearer')
      assert.equal(schemes['cookie']?.['in'], 'cookie')
      assert.equal(schemes['cookie']?.['name'], '__Host-latchkey_session')
    })

    it('lists exactly the contract routes, none missing', () => {
      const paths = document['paths'] as Record<string, Record<string, Operation>>
      const listed = Object.entries(paths)
        .flatMap(([path, operations]) =>
          Object.keys(operations).map((method) => `${method} ${path}`),
        )
        .sort()
      assert.deepEqual(listed, CONTRACT_ROUTES)
    })

    it('gives every operation tags, a summary and documented responses', () => {
      const paths = document['paths'] as Record<string, Record<string, Operation>>
      for (const [path, operations] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          assert.ok((operation.tags ?? []).length > 0, `${method} ${path} has tags`)
          assert.ok((operation.summary ?? '').length > 0, `${method} ${path} has a summary`)
          assert.ok(
            Object.keys(operation.responses ?? {}).length > 0,
            `${method} ${path} has responses`,
          )
        }
      }
      assert.ok(
        paths['/auth/me']?.['get']?.security !== undefined,
        'authenticated routes name their security',
      )
      const register = paths['/auth/register']?.['post'] as {
        requestBody?: unknown
        responses: Record<string, unknown>
      }
      assert.ok(register.requestBody !== undefined)
      assert.ok(
        '201' in register.responses && '422' in register.responses && '409' in register.responses,
      )
    })
  })

  it('GET /docs serves Swagger UI from the local package, no CDN', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' })
    assert.equal(page.statusCode, 200)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.doesNotMatch(
      page.body,
      /(src|href)\s*=\s*["']?(https?:)?\/\//i,
      'no external scripts or styles',
    )
    for (const asset of [
      '/docs/static/swagger-ui-bundle.js',
      '/docs/static/swagger-ui.css',
      '/docs/static/swagger-initializer.js',
      '/docs/json',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: asset })
      assert.equal(response.statusCode, 200, asset)
    }
    const csp = String(page.headers['content-security-policy'])
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-eval/)
  })

  it('GET /redoc serves ReDoc from the local package with no inline script', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/redoc' })
    assert.equal(page.statusCode, 200)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.doesNotMatch(page.body, /(src|href)\s*=\s*["']?(https?:)?\/\//i, 'no CDN')
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)]
    assert.ok(scripts.length >= 2)
    for (const [, attributes, content] of scripts) {
      assert.match(attributes ?? '', /\ssrc=/, 'every script is a file')
      assert.equal((content ?? '').trim(), '', 'no inline script')
    }
    const bundle = await t.app.inject({ method: 'GET', url: '/redoc/redoc.standalone.js' })
    assert.equal(bundle.statusCode, 200)
    assert.ok(bundle.body.length > 100_000)
    const init = await t.app.inject({ method: 'GET', url: '/redoc/init.js' })
    assert.equal(init.statusCode, 200)
    assert.match(init.body, /Redoc\.init\('openapi\.json'/)
    const csp = String(page.headers['content-security-policy'])
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /worker-src blob:/)
    assert.doesNotMatch(csp, /unsafe-eval/)
  })
})

describe('GET /readyz when the store does not answer', () => {
  it('answers a 503 problem with Retry-After', async () => {
    const t = await makeApp()
    try {
      await t.auth.close()
      const response = await t.app.inject({ method: 'GET', url: '/readyz' })
      assert.equal(response.statusCode, 503)
      assert.equal(json(response)['code'], 'service_unavailable')
      assert.ok(Number(response.headers['retry-after']) > 0)
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
    } finally {
      await t.close().catch(() => undefined)
    }
  })
})
