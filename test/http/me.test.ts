import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  cookieHeaders,
  json,
  login,
  makeApp,
  newAccount,
  register,
  signUp,
  type TestApp,
} from '../helpers/app.ts'

describe('GET and PATCH /auth/me, POST /auth/password/change', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ SESSION_POLICY: 'multiple' })
  })
  after(async () => {
    await t.close()
  })

  async function patchMe(token: string, payload: unknown) {
    return t.app.inject({
      method: 'PATCH',
      url: '/auth/me',
      headers: bearer(token),
      payload: payload as Record<string, unknown>,
    })
  }

  it('answers the caller by bearer token and by cookie', async () => {
    const user = await signUp(t.app)
    for (const headers of [bearer(user.accessToken), cookieHeaders(user.sessionToken)]) {
      const response = await t.app.inject({ method: 'GET', url: '/auth/me', headers })
      assert.equal(response.statusCode, 200)
      assert.equal(json(response)['id'], user.id)
      assert.equal(json(response)['email'], user.email)
    }
  })

  it('answers 401 not_authenticated without or with a bad credential', async () => {
    for (const headers of [
      {},
      bearer('not.a.jwt'),
      { authorization: 'Basic YTpi' },
      { cookie: '__Host-latchkey_session=forged.value' },
    ]) {
      const response = await t.app.inject({ method: 'GET', url: '/auth/me', headers })
      assert.equal(response.statusCode, 401, JSON.stringify(headers))
      assert.equal(json(response)['code'], 'not_authenticated')
    }
  })

  it('refuses a JWT passed in the query string (Bearer header only)', async () => {
    const user = await signUp(t.app)
    const response = await t.app.inject({
      method: 'GET',
      url: `/auth/me?access_token=${user.accessToken}`,
    })
    assert.equal(response.statusCode, 401)
  })

  it('updates name, username and profile', async () => {
    const user = await signUp(t.app)
    const response = await patchMe(user.accessToken, {
      name: 'Ada',
      username: `ada_${Date.now()}`,
      profile: { company: 'ACME', age: 36 },
    })
    assert.equal(response.statusCode, 200, response.body)
    const body = json(response)
    assert.equal(body['name'], 'Ada')
    assert.deepEqual(body['profile'], { company: 'ACME', age: 36 })
    const cleared = json(await patchMe(user.accessToken, { name: null }))
    assert.equal(cleared['name'], null)
  })

  for (const field of [
    'role',
    'email_verified',
    'email',
    'disabled',
    'mfa_enabled',
    'id',
    'password',
  ]) {
    it(`refuses to write ${field} (422, SEC-AUTHZ-03)`, async () => {
      const user = await signUp(t.app)
      const response = await patchMe(user.accessToken, {
        [field]: field === 'email' ? 'x@example.com' : true,
      })
      assert.equal(response.statusCode, 422)
      const errors = json(response)['errors'] as { path: string }[]
      assert.ok(errors.some((error) => error.path === `/${field}`))
      const me = json(
        await t.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(user.accessToken) }),
      )
      assert.equal(me['role'], 'user')
      assert.equal(me['email_verified'], false)
    })
  }

  it('answers 409 for a username another user has', async () => {
    const other = newAccount()
    await register(t.app, other)
    const user = await signUp(t.app)
    const response = await patchMe(user.accessToken, { username: other.username.toUpperCase() })
    assert.equal(response.statusCode, 409)
    assert.equal(json(response)['code'], 'username_taken')
  })

  it('answers 422 for a wrongly typed profile value', async () => {
    const user = await signUp(t.app)
    const response = await patchMe(user.accessToken, { profile: { age: 'thirty' } })
    assert.equal(response.statusCode, 422)
  })

  describe('password change', () => {
    async function change(headers: Record<string, string>, payload: Record<string, unknown>) {
      return t.app.inject({ method: 'POST', url: '/auth/password/change', headers, payload })
    }

    it('answers 204, keeps the current session and ends the others', async () => {
      const user = await signUp(t.app)
      const other = await login(t.app, user.email, user.password)
      const newPassword = 'a-brand-new-passphrase-2024'
      const response = await change(bearer(user.accessToken), {
        current_password: user.password,
        new_password: newPassword,
      })
      assert.equal(response.statusCode, 204, response.body)
      const current = await t.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: bearer(user.accessToken),
      })
      assert.equal(current.statusCode, 200, 'the session that changed it lives on')
      const ended = await t.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: bearer(other.accessToken),
      })
      assert.equal(ended.statusCode, 401, 'other sessions end')
      const oldLogin = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: user.password },
      })
      assert.equal(oldLogin.statusCode, 401)
      await login(t.app, user.email, newPassword)
    })

    it('requires the right current password', async () => {
      const user = await signUp(t.app)
      const response = await change(bearer(user.accessToken), {
        current_password: 'wrong-current-password',
        new_password: 'another-new-passphrase-99',
      })
      assert.equal(response.statusCode, 401)
      const missing = await change(bearer(user.accessToken), {
        new_password: 'another-new-passphrase-99',
      })
      assert.equal(missing.statusCode, 422)
    })

    it('answers 422 for a weak new password', async () => {
      const user = await signUp(t.app)
      const response = await change(bearer(user.accessToken), {
        current_password: user.password,
        new_password: 'passwordpassword',
      })
      assert.equal(response.statusCode, 422)
      assert.ok(
        (json(response)['errors'] as { path: string }[]).some((e) => e.path === '/new_password'),
      )
    })

    it('answers 401 without credentials', async () => {
      const response = await change(
        {},
        { current_password: 'a'.repeat(20), new_password: 'b'.repeat(20) },
      )
      assert.equal(response.statusCode, 401)
    })
  })
})
