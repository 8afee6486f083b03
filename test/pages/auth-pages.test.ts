import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, newAccount, strongPassword, type TestApp } from '../helpers/app.ts'
import { inputTag, PageClient, SESSION_COOKIE, setCookieLine } from './page-client.ts'

describe('pages: register, login, logout, /secure', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.close()
  })

  it('/secure sends an anonymous visitor to /login?next=/secure', async () => {
    const response = await new PageClient(t.app).get('/secure')
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, '/login?next=%2Fsecure')
  })

  it('registers through the form, then signs in and lands on next', async () => {
    const browser = new PageClient(t.app)
    const account = newAccount({ name: 'Ada Lovelace' })
    const registered = await browser.submit('/register?next=/secure', '/register', {
      email: account.email,
      password: account.password,
      username: account.username,
      name: 'Ada Lovelace',
      next: '/secure',
    })
    assert.equal(registered.statusCode, 303)
    assert.equal(registered.headers.location, '/login?next=%2Fsecure')
    const loginPage = await browser.get('/login?next=/secure')
    assert.match(loginPage.body, /Your account has been created/)
    assert.match(loginPage.body, /name="next" value="\/secure"/)

    const login = await browser.submit('/login?next=/secure', '/login', {
      identifier: account.email,
      password: account.password,
      next: '/secure',
    })
    assert.equal(login.statusCode, 303)
    assert.equal(login.headers.location, '/secure')
    // The same cookie as the API sets (SEC-SESS-02), and no token in the page or the URL.
    const cookie = setCookieLine(login, SESSION_COOKIE) ?? ''
    assert.match(cookie, /; Path=\//)
    assert.match(cookie, /; HttpOnly/)
    assert.match(cookie, /; Secure/)
    assert.match(cookie, /; SameSite=Lax/)
    assert.doesNotMatch(cookie, /Domain=/i)
    assert.equal(login.body, '')

    const secure = await browser.get('/secure')
    assert.equal(secure.statusCode, 200)
    assert.match(secure.body, /Only signed-in people can see this page, Ada Lovelace/)
    assert.ok(!secure.body.includes(browser.cookies.get(SESSION_COOKIE) ?? 'missing'))
  })

  it('signs in with a username too, and /login redirects once signed in', async () => {
    const browser = new PageClient(t.app)
    const account = newAccount()
    await browser.signUp(account)
    await browser.post('/logout', { _csrf: '' }) // refused (no token); still signed in
    assert.equal((await browser.get('/secure')).statusCode, 200)
    const again = new PageClient(t.app)
    const login = await again.signIn(account.username, account.password)
    assert.equal(login.headers.location, '/')
    const loginPage = await again.get('/login?next=/profile')
    assert.equal(loginPage.statusCode, 303)
    assert.equal(loginPage.headers.location, '/profile')
  })

  it('shows field errors with the input kept, but never the password', async () => {
    const browser = new PageClient(t.app)
    const response = await browser.submit('/register', '/register', {
      email: 'not-an-email',
      password: 'short-secret-1',
      username: 'ok_name',
      name: 'Kept Name',
    })
    assert.equal(response.statusCode, 422)
    assert.match(response.body, /value="not-an-email"/)
    assert.match(response.body, /value="Kept Name"/)
    assert.ok(!response.body.includes('short-secret-1'))
    // The error is tied to its field for assistive technology.
    assert.match(
      response.body,
      /<p class="field-error" id="f-email-error">Email is not a valid email address\.<\/p>/,
    )
    const email = inputTag(response.body, 'f-email')
    assert.match(email, / value="not-an-email" /)
    assert.match(email, / aria-invalid="true" aria-describedby="f-email-error"/)
    const password = inputTag(response.body, 'f-password')
    assert.match(
      password,
      / aria-invalid="true" aria-describedby="f-password-hint f-password-error"/,
    )
    assert.doesNotMatch(password, /value=/)
    assert.match(
      response.body,
      /<a href="#f-password">Password must be at least 15 characters long\.<\/a>/,
    )
  })

  it('says which of email or username is taken, on that field', async () => {
    const browser = new PageClient(t.app)
    const account = newAccount()
    await browser.signUp(account)
    const other = new PageClient(t.app)
    const response = await other.submit('/register', '/register', {
      email: account.email,
      password: strongPassword,
    })
    assert.equal(response.statusCode, 409)
    assert.match(response.body, /Email is already registered\./)
    assert.match(response.body, /value="[^"]*"/)
  })

  it('answers a wrong password on the form, keeping the identifier', async () => {
    const browser = new PageClient(t.app)
    const account = newAccount()
    await browser.signUp(account)
    const other = new PageClient(t.app)
    const response = await other.submit('/login', '/login', {
      identifier: account.email,
      password: 'wrong-password-123456',
    })
    assert.equal(response.statusCode, 401)
    assert.match(response.body, /The email, username or password is not right\./)
    assert.ok(response.body.includes(`value="${account.email}"`))
    assert.ok(!response.body.includes('wrong-password-123456'))
    assert.equal(setCookieLine(response, SESSION_COOKIE), undefined)
  })

  it('GET /logout changes nothing; POST /logout ends the session server-side', async () => {
    const browser = new PageClient(t.app)
    await browser.signUp(newAccount())
    const token = browser.cookies.get(SESSION_COOKIE) ?? ''
    const confirm = await browser.get('/logout')
    assert.equal(confirm.statusCode, 200)
    assert.equal((await browser.get('/secure')).statusCode, 200)

    const out = await browser.submit('/logout', '/logout', {})
    assert.equal(out.statusCode, 303)
    assert.equal(out.headers.location, '/login')
    assert.match(setCookieLine(out, SESSION_COOKIE) ?? '', /Max-Age=0/)
    assert.match((await browser.get('/login')).body, /You have been signed out\./)
    // The old cookie, replayed, opens nothing (SEC-SESS-04).
    const replay = await t.app.inject({
      url: '/secure',
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    })
    assert.equal(replay.statusCode, 303)
    assert.match(String(replay.headers.location), /^\/login/)
  })

  it('refuses a form field sent twice', async () => {
    const browser = new PageClient(t.app)
    const page = await browser.get('/login')
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: `_csrf=${token}&identifier=a&identifier=b&password=x`,
    })
    assert.equal(response.statusCode, 400)
    assert.match(String(response.headers['content-type']), /^text\/html/)
  })
})
