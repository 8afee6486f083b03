import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import {
  bearer,
  makeApp,
  signUp,
  signUpAdmin,
  type LoggedIn,
  type TestApp,
} from '../helpers/app.ts'

// api.md: "No input, however malformed, produces a 5xx" (SEC-INPUT-03). Every route of the
// contract gets every kind of bad body, query, path and credential, authenticated as an admin
// (so the input reaches validation and core) and not at all.

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

function routes(id: string): [Method, string][] {
  return [
    ['POST', '/auth/register'],
    ['POST', '/auth/login'],
    ['POST', '/auth/refresh'],
    ['POST', '/auth/logout'],
    ['POST', '/auth/logout-all'],
    ['GET', '/auth/me'],
    ['PATCH', '/auth/me'],
    ['POST', '/auth/password/change'],
    ['POST', '/auth/password/forgot'],
    ['POST', '/auth/password/reset'],
    ['POST', '/auth/email/verify'],
    ['POST', '/auth/email/verify/resend'],
    ['GET', '/auth/sessions'],
    ['DELETE', `/auth/sessions/${id}`],
    ['GET', '/users'],
    ['GET', `/users/${id}`],
    ['PATCH', `/users/${id}`],
    ['POST', `/users/${id}/revoke-sessions`],
    ['GET', `/users/${id}/logs`],
    ['GET', `/audit/users/${id}`],
    ['GET', '/audit'],
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['GET', '/.well-known/jwks.json'],
  ]
}

const BODIES: [string, string | Buffer, string][] = [
  ['truncated JSON', '{"email":', 'application/json'],
  ['an array', '[1,2,3]', 'application/json'],
  ['null', 'null', 'application/json'],
  ['a string', '"hello"', 'application/json'],
  ['a number', '1e309', 'application/json'],
  ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
  [
    'deeply nested object value',
    `{"email":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)},"password":"x"}`,
    'application/json',
  ],
  [
    'objects where strings go',
    '{"email":{"$gt":""},"password":["a"],"refresh_token":{},"name":{},"username":[],"current_password":{},"new_password":true,"role":{},"disabled":"yes"}',
    'application/json',
  ],
  [
    'a lone surrogate and NUL',
    '{"email":"\\ud800@example.com","password":"\\u0000violet-harbour-lantern","name":"\\udfff","username":"a\\u0000b"}',
    'application/json',
  ],
  [
    'invalid UTF-8',
    Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    'application/json',
  ],
  [
    'prototype poisoning',
    '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}',
    'application/json',
  ],
  [
    'a duplicate key',
    '{"email":"a@example.com","email":"b@example.com","password":"violet-harbour-lantern-1987"}',
    'application/json',
  ],
  [
    'SQL in every field',
    `{"email":"' OR 1=1 --@x.io","password":"'; DROP TABLE users; --xxxxx","refresh_token":"' OR '1'='1","name":"Robert'); --"}`,
    'application/json',
  ],
  ['text/plain', '{"email":"a@example.com"}', 'text/plain'],
  ['XML', '<email>a@example.com</email>', 'application/xml'],
  ['a JSON-like type', '{}', 'application/jsonx'],
  ['a charset JSON cannot be', '{}', 'application/json; charset=utf-16'],
  ['a garbage content type', '{}', ';;;=='],
  ['form-urlencoded', 'email[$gt]=&password=x', 'application/x-www-form-urlencoded'],
  ['an oversize body', `{"name":"${'n'.repeat(70_000)}"}`, 'application/json'],
]

const QUERIES = [
  'limit=abc',
  'limit[]=1',
  'limit=99999999999999999999999',
  'cursor[$gt]=',
  'cursor=%00',
  'q=%25%27%22%3B--',
  `q=${'x'.repeat(5000)}`,
  'type=__proto__',
  'since=0000-00-00T00:00:00Z',
  'until=9999-12-31T23:59:59Z',
  'user_id=%27%20OR%201%3D1',
  '__proto__[x]=1',
  '%E0%A4%A=1',
]

const CREDENTIALS: Record<string, string>[] = [
  { authorization: 'Bearer' },
  { authorization: 'Bearer a.b.c' },
  { authorization: `Bearer ${'a'.repeat(6000)}` },
  { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwic2lkIjoieCJ9.' },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  { cookie: '__Host-latchkey_session=' },
  { cookie: '__Host-latchkey_session=%E0%A4%A' },
  { cookie: `__Host-latchkey_session=${'a'.repeat(3000)}.${'b'.repeat(3000)}` },
  { cookie: '__Host-latchkey_session=..........' },
]

function assertNo5xx(response: LightMyRequestResponse, what: string): void {
  assert.ok(
    response.statusCode < 500,
    `${what} → ${response.statusCode} ${response.body.slice(0, 300)}`,
  )
  if (response.statusCode >= 400) {
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, what)
  }
}

describe('malformed input never produces a 5xx', () => {
  let t: TestApp
  let admin: LoggedIn
  let user: LoggedIn
  before(async () => {
    t = await makeApp()
    admin = await signUpAdmin(t)
    user = await signUp(t.app)
  })
  after(async () => {
    await t.close()
  })

  it('bodies, on every route, authenticated and not', async () => {
    let count = 0
    for (const [method, url] of routes(user.id)) {
      if (method === 'GET') continue
      for (const [what, payload, type] of BODIES) {
        for (const auth of [bearer(admin.accessToken), {}]) {
          const request: InjectOptions = {
            method,
            url,
            headers: { ...auth, 'content-type': type },
            payload,
          }
          assertNo5xx(await t.app.inject(request), `${method} ${url} with ${what}`)
          count += 1
        }
      }
    }
    assert.ok(count > 200)
  })

  it('query strings, on every route', async () => {
    for (const [method, url] of routes(user.id)) {
      for (const query of QUERIES) {
        const response = await t.app.inject({
          method,
          url: `${url}?${query}`,
          headers: bearer(admin.accessToken),
        })
        assertNo5xx(response, `${method} ${url}?${query}`)
      }
    }
  })

  it('path parameters', async () => {
    // Malformed percent-encoding and over-long parameters never reach a route: framework-errors.test.ts.
    const ids = [
      '%00',
      "'%20OR%201=1--",
      'x'.repeat(90),
      '..%2F..%2Fetc%2Fpasswd',
      '%F0%9F%92%A9',
      '__proto__',
    ]
    for (const id of ids) {
      for (const [method, url] of routes(id)) {
        if (!url.includes(id)) continue
        const response = await t.app.inject({
          method,
          url,
          headers: bearer(admin.accessToken),
          payload: method === 'PATCH' ? {} : undefined,
        })
        assertNo5xx(response, `${method} ${url}`)
        assert.ok(response.statusCode >= 400, `${method} ${url} → ${response.statusCode}`)
      }
    }
  })

  it('credentials', async () => {
    for (const [method, url] of routes(user.id)) {
      for (const headers of CREDENTIALS) {
        const response = await t.app.inject({
          method,
          url,
          headers: { ...headers, 'x-requested-with': 'x' },
        })
        assertNo5xx(response, `${method} ${url} with ${JSON.stringify(headers).slice(0, 60)}`)
      }
    }
  })

  it('unknown routes and methods are 404 problems', async () => {
    for (const request of [
      { method: 'PUT', url: '/auth/me' },
      { method: 'GET', url: '/auth/2fa/setup' },
      { method: 'GET', url: '/auth/password/forgot' },
    ] as const) {
      const response = await t.app.inject(request)
      assertNo5xx(response, `${request.method} ${request.url}`)
      assert.equal(response.statusCode, 404, request.url)
    }
  })

  it('an unauthenticated caller gets 401 before any validation, a plain user 403', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/users?limit=abc' })
    assert.equal(anonymous.statusCode, 401)
    const plain = await t.app.inject({
      method: 'GET',
      url: '/users?limit=abc',
      headers: bearer(user.accessToken),
    })
    assert.equal(plain.statusCode, 403)
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/auth/me',
      payload: { role: 'admin' },
    })
    assert.equal(patch.statusCode, 401)
  })
})
