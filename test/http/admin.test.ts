import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  json,
  makeApp,
  newAccount,
  register,
  signUp,
  signUpAdmin,
  type LoggedIn,
  type TestApp,
} from '../helpers/app.ts'

interface Page {
  items: { id: string; email: string }[]
  next_cursor: string | null
}

describe('administration: /users', () => {
  let t: TestApp
  let admin: LoggedIn
  before(async () => {
    t = await makeApp()
    admin = await signUpAdmin(t)
  })
  after(async () => {
    await t.close()
  })

  const adminRequests = (id: string) =>
    [
      { method: 'GET', url: '/users' },
      { method: 'GET', url: `/users/${id}` },
      { method: 'PATCH', url: `/users/${id}`, payload: { disabled: true } },
      { method: 'POST', url: `/users/${id}/revoke-sessions` },
      { method: 'GET', url: '/audit' },
    ] as const

  it('answers 401 to the unauthenticated and 403 forbidden to a plain user, changing nothing', async () => {
    const user = await signUp(t.app)
    for (const request of adminRequests(admin.id)) {
      const anonymous = await t.app.inject(request)
      assert.equal(anonymous.statusCode, 401, `${request.method} ${request.url}`)
      const forbidden = await t.app.inject({ ...request, headers: bearer(user.accessToken) })
      assert.equal(forbidden.statusCode, 403, `${request.method} ${request.url}`)
      assert.equal(json(forbidden)['code'], 'forbidden')
    }
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(admin.accessToken),
    })
    assert.equal(me.statusCode, 200, 'the admin was neither disabled nor logged out')
  })

  it('pages through every user with limit and cursor, without repeats', async () => {
    for (let i = 0; i < 5; i++) await register(t.app, newAccount())
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const url: string =
        cursor === null ? '/users?limit=2' : `/users?limit=2&cursor=${encodeURIComponent(cursor)}`
      const response = await t.app.inject({
        method: 'GET',
        url,
        headers: bearer(admin.accessToken),
      })
      assert.equal(response.statusCode, 200, response.body)
      const page: Page = response.json()
      assert.ok(page.items.length <= 2)
      seen.push(...page.items.map((user) => user.id))
      cursor = page.next_cursor
      pages += 1
    } while (cursor !== null && pages < 50)
    assert.ok(seen.length >= 6, `saw ${seen.length}`)
    assert.equal(new Set(seen).size, seen.length, 'no user twice')
    assert.ok(seen.includes(admin.id))
  })

  it('filters with q', async () => {
    const account = newAccount()
    await register(t.app, account)
    const local = account.email.split('@')[0] ?? ''
    const response = await t.app.inject({
      method: 'GET',
      url: `/users?q=${encodeURIComponent(local.toUpperCase())}`,
      headers: bearer(admin.accessToken),
    })
    assert.equal(response.statusCode, 200)
    const page: Page = response.json()
    assert.deepEqual(
      page.items.map((user) => user.email),
      [account.email],
    )
  })

  it('answers one user, and 404 for an unknown id', async () => {
    const user = await signUp(t.app)
    const found = await t.app.inject({
      method: 'GET',
      url: `/users/${user.id}`,
      headers: bearer(admin.accessToken),
    })
    assert.equal(found.statusCode, 200)
    assert.equal(json(found)['email'], user.email)
    const missing = await t.app.inject({
      method: 'GET',
      url: '/users/no-such-user',
      headers: bearer(admin.accessToken),
    })
    assert.equal(missing.statusCode, 404)
    assert.equal(json(missing)['code'], 'not_found')
  })

  it('disabling a user revokes their sessions at once', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/users/${user.id}`,
      headers: bearer(admin.accessToken),
      payload: { disabled: true },
    })
    assert.equal(response.statusCode, 200)
    assert.equal(json(response)['disabled'], true)
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(user.accessToken),
    })
    assert.equal(me.statusCode, 401)
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    })
    assert.equal(refresh.statusCode, 401)
  })

  it('a role change takes effect on the next request, and email_verified is settable here', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/users/${user.id}`,
      headers: bearer(admin.accessToken),
      payload: { role: 'admin', email_verified: true },
    })
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(json(response)['role'], 'admin')
    assert.equal(json(response)['email_verified'], true)
    const list = await t.app.inject({
      method: 'GET',
      url: '/users',
      headers: bearer(user.accessToken),
    })
    assert.notEqual(list.statusCode, 403, 'no stale role in the unexpired JWT')
  })

  it('revoke-sessions answers 204 and ends every session of the user', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: `/users/${user.id}/revoke-sessions`,
      headers: bearer(admin.accessToken),
    })
    assert.equal(response.statusCode, 204)
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(user.accessToken),
    })
    assert.equal(me.statusCode, 401)
  })

  for (const [what, payload] of [
    ['an unknown field', { password_hash: 'x' }],
    ['an unknown role', { role: 'root' }],
    ['a string for disabled', { disabled: 'true' }],
  ] as const) {
    it(`PATCH answers 422 for ${what}`, async () => {
      const user = await signUp(t.app)
      const response = await t.app.inject({
        method: 'PATCH',
        url: `/users/${user.id}`,
        headers: bearer(admin.accessToken),
        payload,
      })
      assert.equal(response.statusCode, 422, response.body)
    })
  }

  for (const query of [
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=1.5',
    'q=a&q=b',
    'cursor=',
    'unknown=1',
  ]) {
    it(`GET /users?${query} answers 422`, async () => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/users?${query}`,
        headers: bearer(admin.accessToken),
      })
      assert.equal(response.statusCode, 422, response.body)
      assert.equal(json(response)['code'], 'validation_failed')
    })
  }
})
