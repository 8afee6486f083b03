import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  PUBLIC_URL,
  SESSION_COOKIE,
  bearer,
  json,
  makeApp,
  newAccount,
  signUp,
  type TestApp,
} from '../helpers/app.ts'

const EVIL = 'https://evil.example'

describe('CSRF on the JSON API (SEC-CSRF-02, SEC-CSRF-03)', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ CORS_ORIGINS: 'https://app.example' })
  })
  after(async () => {
    await t.close()
  })

  const cookieOnly = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` })

  async function isAlive(accessToken: string): Promise<boolean> {
    const response = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(accessToken),
    })
    return response.statusCode === 200
  }

  it('refuses a cookie-authenticated POST from a foreign Origin with 403 csrf_failed', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...cookieOnly(user.sessionToken), origin: EVIL, 'x-requested-with': 'fetch' },
    })
    assert.equal(response.statusCode, 403)
    assert.equal(json(response)['code'], 'csrf_failed')
    assert.ok(await isAlive(user.accessToken), 'nothing happened')
  })

  for (const [what, headers] of [
    ['Origin: null', { origin: 'null', 'x-requested-with': 'fetch' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', 'x-requested-with': 'fetch' }],
    ['a simple request (no JSON, no X-Requested-With)', {}],
  ] as const) {
    it(`refuses a cookie-authenticated POST with ${what}`, async () => {
      const user = await signUp(t.app)
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/logout-all',
        headers: { ...cookieOnly(user.sessionToken), ...headers },
      })
      assert.equal(response.statusCode, 403)
      assert.equal(json(response)['code'], 'csrf_failed')
      assert.ok(await isAlive(user.accessToken))
    })
  }

  it('refuses a cookie-authenticated PATCH sent as text/plain and changes nothing', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/auth/me',
      headers: { ...cookieOnly(user.sessionToken), 'content-type': 'text/plain' },
      payload: JSON.stringify({ name: 'Pwned' }),
    })
    assert.ok(response.statusCode === 400 || response.statusCode === 403, `${response.statusCode}`)
    const me = json(
      await t.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(user.accessToken) }),
    )
    assert.equal(me['name'], null)
  })

  it('accepts a same-origin cookie request: JSON body, or X-Requested-With when bodyless', async () => {
    const user = await signUp(t.app)
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/auth/me',
      headers: {
        ...cookieOnly(user.sessionToken),
        origin: PUBLIC_URL,
        'sec-fetch-site': 'same-origin',
      },
      payload: { name: 'Ada' },
    })
    assert.equal(patch.statusCode, 200, patch.body)
    const logout = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: {
        ...cookieOnly(user.sessionToken),
        origin: PUBLIC_URL,
        'x-requested-with': 'XMLHttpRequest',
      },
    })
    assert.equal(logout.statusCode, 204, logout.body)
  })

  it('needs nothing from a bearer-authenticated request, whatever its Origin', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...bearer(user.accessToken), origin: EVIL },
    })
    assert.equal(response.statusCode, 204)
  })

  describe('login CSRF', () => {
    for (const [type, payload] of [
      ['text/plain', '{"email":"a@example.com","password":"violet-harbour-lantern-1987"}'],
      [
        'application/x-www-form-urlencoded',
        'email=a%40example.com&password=violet-harbour-lantern-1987',
      ],
      [
        'multipart/form-data; boundary=b',
        '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n--b--',
      ],
    ] as const) {
      it(`refuses a ${type.split(';')[0]} login (a cross-site form can send it) without a cookie`, async () => {
        const account = newAccount()
        await t.app.inject({ method: 'POST', url: '/auth/register', payload: account })
        const response = await t.app.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { 'content-type': type },
          payload: payload
            .replace('a@example.com', account.email)
            .replace('a%40example.com', encodeURIComponent(account.email)),
        })
        assert.equal(response.statusCode, 400)
        assert.equal(response.headers['set-cookie'], undefined)
      })
    }

    it('refuses a JSON login from a foreign Origin', async () => {
      const account = newAccount()
      await t.app.inject({ method: 'POST', url: '/auth/register', payload: account })
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { origin: EVIL },
        payload: { email: account.email, password: account.password },
      })
      assert.equal(response.statusCode, 403)
      assert.equal(json(response)['code'], 'csrf_failed')
      assert.equal(response.headers['set-cookie'], undefined)
    })
  })

  describe('CORS for configured origins only', () => {
    it('echoes an allowed origin with credentials and accepts its cookie request', async () => {
      const user = await signUp(t.app)
      const response = await t.app.inject({
        method: 'PATCH',
        url: '/auth/me',
        headers: { ...cookieOnly(user.sessionToken), origin: 'https://app.example' },
        payload: { name: 'From the SPA' },
      })
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.headers['access-control-allow-origin'], 'https://app.example')
      assert.equal(response.headers['access-control-allow-credentials'], 'true')
    })

    it('never reflects another origin, on requests or preflights', async () => {
      const get = await t.app.inject({ method: 'GET', url: '/healthz', headers: { origin: EVIL } })
      assert.equal(get.headers['access-control-allow-origin'], undefined)
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/auth/me',
        headers: { origin: EVIL, 'access-control-request-method': 'PATCH' },
      })
      assert.equal(preflight.headers['access-control-allow-origin'], undefined)
      const allowed = await t.app.inject({
        method: 'OPTIONS',
        url: '/auth/me',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'PATCH' },
      })
      assert.equal(allowed.statusCode, 204)
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example')
      assert.match(String(allowed.headers['access-control-allow-methods']), /PATCH/)
    })
  })
})
