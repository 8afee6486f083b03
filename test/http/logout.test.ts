import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  cookieHeaders,
  json,
  login,
  makeApp,
  sessionSetCookie,
  signUp,
  type LoggedIn,
  type TestApp,
} from '../helpers/app.ts'

describe('POST /auth/logout and /auth/logout-all', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ SESSION_POLICY: 'multiple' })
  })
  after(async () => {
    await t.close()
  })

  async function assertSessionDead(user: LoggedIn): Promise<void> {
    const byJWT = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(user.accessToken),
    })
    assert.equal(byJWT.statusCode, 401, 'the unexpired JWT is refused')
    assert.equal(json(byJWT)['code'], 'session_revoked')
    const byCookie = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: cookieHeaders(user.sessionToken),
    })
    assert.equal(byCookie.statusCode, 401, 'the cookie is refused')
    const byRefresh = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    })
    assert.equal(byRefresh.statusCode, 401, 'the refresh token is refused')
  }

  it('logs out with a bearer token: 204, cookie cleared, JWT, refresh token and cookie all refused', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(user.accessToken),
    })
    assert.equal(response.statusCode, 204)
    assert.equal(response.body, '')
    const cleared = sessionSetCookie(response)
    assert.ok(
      cleared !== undefined && /max-age=0/i.test(cleared),
      `cookie cleared: ${String(cleared)}`,
    )
    await assertSessionDead(user)
  })

  it('logs out with the cookie (and the CSRF header a same-origin fetch sends)', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: cookieHeaders(user.sessionToken),
    })
    assert.equal(response.statusCode, 204, response.body)
    await assertSessionDead(user)
  })

  it('clears a dead session cookie when it is presented again', async () => {
    const user = await signUp(t.app)
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(user.accessToken) })
    const response = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: cookieHeaders(user.sessionToken),
    })
    assert.equal(response.statusCode, 401)
    assert.match(sessionSetCookie(response) ?? '', /Max-Age=0/)
  })

  it('accepts a bodyless logout sent with a JSON content type', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...bearer(user.accessToken), 'content-type': 'application/json' },
    })
    assert.equal(response.statusCode, 204, response.body)
  })

  it('answers 401 without credentials, and a second logout is 401', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/auth/logout' })
    assert.equal(anonymous.statusCode, 401)
    assert.equal(json(anonymous)['code'], 'not_authenticated')
    const user = await signUp(t.app)
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(user.accessToken) })
    const again = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(user.accessToken),
    })
    assert.equal(again.statusCode, 401)
  })

  it('leaves the user’s other sessions alive on logout, ends them all on logout-all', async () => {
    const first = await signUp(t.app)
    const secondToken = (await login(t.app, first.email, first.password)).accessToken
    const thirdToken = (await login(t.app, first.email, first.password)).accessToken

    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(thirdToken) })
    const stillAlive = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(secondToken),
    })
    assert.equal(stillAlive.statusCode, 200, 'logout ends only its own session')

    const all = await t.app.inject({
      method: 'POST',
      url: '/auth/logout-all',
      headers: bearer(secondToken),
    })
    assert.equal(all.statusCode, 204)
    assert.ok(sessionSetCookie(all) !== undefined)
    await assertSessionDead(first)
    const second401 = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(secondToken),
    })
    assert.equal(second401.statusCode, 401)
  })

  it('answers 401 to logout-all without credentials', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/auth/logout-all' })
    assert.equal(response.statusCode, 401)
  })
})
