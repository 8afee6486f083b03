import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { FakeClock } from '../helpers/fake-clock.ts'
import {
  bearer,
  cookieHeaders,
  json,
  makeApp,
  signUp,
  signUpAdmin,
  type TestApp,
} from '../helpers/app.ts'

describe('POST /auth/refresh', () => {
  let t: TestApp
  const clock = new FakeClock(new Date())
  before(async () => {
    t = await makeApp({ REFRESH_REUSE_GRACE: '10s' }, { clock })
  })
  after(async () => {
    await t.close()
  })

  async function refresh(token: unknown) {
    return t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: token } })
  }

  it('rotates: a new refresh token and a working access token, no new cookie', async () => {
    const user = await signUp(t.app)
    const response = await refresh(user.refreshToken)
    assert.equal(response.statusCode, 200, response.body)
    const body = json(response)
    assert.notEqual(body['refresh_token'], user.refreshToken)
    assert.equal(body['token_type'], 'bearer')
    assert.equal((body['user'] as { id: string }).id, user.id)
    assert.equal(response.headers['set-cookie'], undefined, 'the session cookie stays as it is')
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(String(body['access_token'])),
    })
    assert.equal(me.statusCode, 200)
  })

  it('gives the same successor to a second presentation within the grace window', async () => {
    const user = await signUp(t.app)
    const first = json(await refresh(user.refreshToken))
    clock.advance(3)
    const second = await refresh(user.refreshToken)
    assert.equal(second.statusCode, 200, second.body)
    assert.equal(json(second)['refresh_token'], first['refresh_token'])
    const next = await refresh(first['refresh_token'])
    assert.equal(next.statusCode, 200, 'the session lives on')
  })

  it('treats a presentation after the grace window as reuse and ends the whole session', async () => {
    const admin = await signUpAdmin(t)
    const user = await signUp(t.app)
    const successor = json(await refresh(user.refreshToken))
    clock.advance(11)
    const reuse = await refresh(user.refreshToken)
    assert.equal(reuse.statusCode, 401)
    assert.equal(json(reuse)['code'], 'invalid_refresh_token')
    const byJWT = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(String(successor['access_token'])),
    })
    assert.equal(byJWT.statusCode, 401, 'the unexpired JWT of the session is refused')
    const byCookie = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: cookieHeaders(user.sessionToken),
    })
    assert.equal(byCookie.statusCode, 401, 'the cookie of the session is refused')
    assert.equal(
      (await refresh(successor['refresh_token'])).statusCode,
      401,
      'the successor dies too',
    )
    const logs = await t.app.inject({
      method: 'GET',
      url: `/users/${user.id}/logs?type=token.reuse_detected`,
      headers: bearer(admin.accessToken),
    })
    assert.equal(logs.statusCode, 200, logs.body)
    assert.equal((json(logs)['items'] as unknown[]).length, 1)
  })

  it('an expired access token is 401 token_expired, and refreshing brings the session back', async () => {
    const user = await signUp(t.app)
    clock.advance(t.auth.settings.accessTokenTtlSeconds + 1)
    const expired = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(user.accessToken),
    })
    assert.equal(expired.statusCode, 401)
    assert.equal(json(expired)['code'], 'token_expired')
    const renewed = json(await refresh(user.refreshToken))
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(String(renewed['access_token'])),
    })
    assert.equal(me.statusCode, 200)
  })

  it('answers 401 invalid_refresh_token for an unknown token', async () => {
    const response = await refresh('not-a-real-refresh-token')
    assert.equal(response.statusCode, 401)
    assert.equal(json(response)['code'], 'invalid_refresh_token')
  })

  it('refuses an access token presented as a refresh token', async () => {
    const user = await signUp(t.app)
    const response = await refresh(user.accessToken)
    assert.equal(response.statusCode >= 400 && response.statusCode < 500, true)
    assert.notEqual(response.statusCode, 200)
  })

  for (const [what, token] of [
    ['an empty string', ''],
    ['a number', 12345],
    ['an array', ['a', 'b']],
    ['an object', { $ne: '' }],
    ['null', null],
  ] as const) {
    it(`answers 422 for ${what}`, async () => {
      const response = await refresh(token)
      assert.equal(response.statusCode, 422, response.body)
    })
  }
})
