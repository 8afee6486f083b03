// SEC-CSRF-01 and SEC-CSRF-03 on the HTML forms: every post needs our origin and a token bound
// to the browser's own secret cookie; each test shows the post would have worked otherwise.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'
import { CSRF_COOKIE, csrfTokenIn, PageClient, SESSION_COOKIE } from './page-client.ts'

function assertRefused(response: {
  statusCode: number
  headers: Record<string, unknown>
  body: string
}): void {
  assert.equal(response.statusCode, 403)
  assert.match(String(response.headers['content-type']), /^text\/html/)
  assert.match(response.body, /This form has expired/)
}

describe('pages: CSRF', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.close()
  })

  async function loginForm(browser: PageClient): Promise<string> {
    return csrfTokenIn((await browser.get('/login')).body, '/login') ?? ''
  }

  it('refuses a login post without a token, with a wrong one, or without the pre-session cookie', async () => {
    const account = newAccount()
    await new PageClient(t.app).signUp(account)
    const browser = new PageClient(t.app)
    const token = await loginForm(browser)
    const fields = { identifier: account.email, password: account.password }
    assertRefused(await browser.post('/login', fields))
    assertRefused(await browser.post('/login', { ...fields, _csrf: `${token.slice(0, -2)}AA` }))
    const cookieless = new PageClient(t.app)
    assertRefused(await cookieless.post('/login', { ...fields, _csrf: token }))
    // Another browser's cookie with this browser's token: the token is bound to its own cookie.
    const other = new PageClient(t.app)
    await loginForm(other)
    assertRefused(await other.post('/login', { ...fields, _csrf: token }))
    const ok = await browser.post('/login', { ...fields, _csrf: token })
    assert.equal(ok.statusCode, 303)
  })

  it('refuses a post from a foreign origin even with a valid token', async () => {
    const account = newAccount()
    await new PageClient(t.app).signUp(account)
    const browser = new PageClient(t.app)
    const token = await loginForm(browser)
    const fields = { identifier: account.email, password: account.password, _csrf: token }
    assertRefused(await browser.post('/login', fields, { origin: 'https://evil.example' }))
    assertRefused(await browser.post('/login', fields, { origin: 'null' }))
    assertRefused(await browser.post('/login', fields, { origin: 'http://localhost:3001' }))
    assertRefused(
      await browser.post('/login', fields, {
        origin: null,
        headers: { 'sec-fetch-site': 'cross-site' },
      }),
    )
    assertRefused(
      await browser.post('/login', fields, {
        origin: null,
        headers: { 'sec-fetch-site': 'same-site' },
      }),
    )
    // No Origin and no Sec-Fetch-Site (an old browser): the token alone decides.
    assert.equal((await browser.post('/login', fields, { origin: null })).statusCode, 303)
  })

  it('refuses a register post without a token', async () => {
    const browser = new PageClient(t.app)
    await browser.get('/register')
    const account = newAccount()
    assertRefused(
      await browser.post('/register', { email: account.email, password: account.password }),
    )
    assert.equal(await t.auth.findUser(account.email), null)
  })

  it('binds signed-in forms to the session: the pre-session token or a stale token is refused', async () => {
    const browser = new PageClient(t.app)
    const account = newAccount()
    await browser.signUp(account)
    const anonymousToken = await (async () => {
      const anon = new PageClient(t.app)
      anon.cookies.set(CSRF_COOKIE, browser.cookies.get(CSRF_COOKIE) ?? '')
      return loginForm(anon)
    })()
    assertRefused(await browser.post('/profile/edit', { _csrf: anonymousToken, name: 'Mallory' }))
    assertRefused(await browser.post('/profile/edit', { name: 'Mallory' }))
    assertRefused(await browser.post('/logout', {}))
    const edit = await browser.get('/profile/edit')
    const sessionToken = csrfTokenIn(edit.body, '/profile/edit') ?? ''
    assert.notEqual(sessionToken, anonymousToken)
    assert.doesNotMatch((await browser.get('/profile')).body, /Mallory/)
    assert.equal(
      (await browser.get('/secure')).statusCode,
      200,
      'the refused logout left the session alive',
    )

    // A token from an earlier session is dead with it.
    await browser.submit('/logout', '/logout', {})
    await browser.signIn(account.email, account.password)
    assertRefused(await browser.post('/profile/edit', { _csrf: sessionToken, name: 'Mallory' }))
    const saved = await browser.submit('/profile/edit', '/profile/edit', { name: 'Ada' })
    assert.equal(saved.statusCode, 303)
  })

  it('refuses every signed-in action without a token', async () => {
    const browser = new PageClient(t.app)
    await browser.signUp(newAccount())
    const session = browser.cookies.get(SESSION_COOKIE) ?? ''
    const sessionId = session.split('.')[0] ?? ''
    for (const url of [
      '/settings/security/password',
      `/settings/security/sessions/${sessionId}/revoke`,
      '/settings/security/sessions/revoke-all',
      '/admin/users/x/disable',
    ]) {
      const response = await browser.post(url, { current_password: 'x', new_password: 'y' })
      assert.ok(response.statusCode === 403, `${url}: ${response.statusCode}`)
    }
    assert.equal((await browser.get('/secure')).statusCode, 200)
  })

  it('never reads JSON on a page route, and the JSON API never reads forms', async () => {
    const page = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      payload: '{"identifier":"a","password":"b"}',
    })
    assert.ok(page.statusCode === 400 || page.statusCode === 415, String(page.statusCode))
    assert.match(String(page.headers['content-type']), /^text\/html/)
    const api = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40b.c&password=x',
    })
    assert.equal(api.statusCode, 400)
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/)
  })
})
