// The second step of a page login when TOTP is on: the ticket stays in an HttpOnly cookie, the
// password alone opens nothing (SEC-SESS-08), and a spent or missing ticket starts over.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'
import { PageClient, SESSION_COOKIE, setCookieLine } from './page-client.ts'

const MFA_COOKIE = '__Host-latchkey_mfa'
const ctx = { ip: '127.0.0.1', userAgent: 'node-test' }

describe('pages: login with two-factor authentication', () => {
  let t: TestApp
  let recoveryCodes: readonly string[]
  const account = newAccount()

  before(async () => {
    t = await makeApp()
    const browser = new PageClient(t.app)
    await browser.signUp(account)
    const principal = await t.auth.authenticate({
      kind: 'cookie',
      token: browser.cookies.get(SESSION_COOKIE) ?? '',
    })
    const setup = await t.auth.setupTotp(principal, ctx)
    const { TOTP, Secret } = await import('otpauth')
    const code = new TOTP({ secret: Secret.fromBase32(setup.secret) }).generate()
    recoveryCodes = await t.auth.enableTotp(principal, code, ctx)
  })
  after(async () => {
    await t.close()
  })

  it('asks for a code after the password, without a session yet', async () => {
    const browser = new PageClient(t.app)
    const step1 = await browser.submit('/login?next=/secure', '/login', {
      identifier: account.email,
      password: account.password,
      next: '/secure',
    })
    assert.equal(step1.statusCode, 303)
    assert.equal(step1.headers.location, '/login/mfa?next=%2Fsecure')
    assert.equal(setCookieLine(step1, SESSION_COOKIE), undefined)
    const ticket = setCookieLine(step1, MFA_COOKIE) ?? ''
    assert.match(ticket, /HttpOnly/)
    assert.match(ticket, /SameSite=Strict/)
    assert.match(ticket, /Secure/)
    assert.equal((await browser.get('/secure')).statusCode, 303, 'the password alone opens nothing')

    const page = await browser.get('/login/mfa?next=/secure')
    assert.equal(page.statusCode, 200)
    assert.ok(
      !page.body.includes(browser.cookies.get(MFA_COOKIE) ?? 'missing'),
      'the ticket is not in the page',
    )

    const wrong = await browser.submit('/login/mfa?next=/secure', '/login/mfa', {
      code: '000000',
      next: '/secure',
    })
    assert.equal(wrong.statusCode, 401)
    assert.match(wrong.body, /Verification code is not right\./)

    const right = await browser.submit('/login/mfa?next=/secure', '/login/mfa', {
      code: recoveryCodes[0] ?? '',
      next: '/secure',
    })
    assert.equal(right.statusCode, 303)
    assert.equal(right.headers.location, '/secure')
    assert.ok(setCookieLine(right, SESSION_COOKIE))
    assert.match(setCookieLine(right, MFA_COOKIE) ?? '', /Max-Age=0/)
    assert.equal((await browser.get('/secure')).statusCode, 200)
  })

  it('starts over without a ticket, or with a spent one', async () => {
    const browser = new PageClient(t.app)
    const page = await browser.get('/login/mfa')
    assert.equal(page.statusCode, 303)
    assert.equal(page.headers.location, '/login')

    await browser.submit('/login', '/login', {
      identifier: account.email,
      password: account.password,
    })
    const ticket = browser.cookies.get(MFA_COOKIE) ?? ''
    const done = await browser.submit('/login/mfa', '/login/mfa', { code: recoveryCodes[1] ?? '' })
    assert.equal(done.statusCode, 303)

    const replay = new PageClient(t.app)
    await replay.get('/login')
    replay.cookies.set(MFA_COOKIE, ticket)
    const again = await replay.submit('/login/mfa', '/login/mfa', { code: recoveryCodes[2] ?? '' })
    assert.equal(again.statusCode, 303)
    assert.equal(again.headers.location, '/login')
    assert.equal(setCookieLine(again, SESSION_COOKIE), undefined)
    assert.match((await replay.get('/login')).body, /took too long or was already used/)
  })

  it('needs the CSRF token on the code step too', async () => {
    const browser = new PageClient(t.app)
    await browser.submit('/login', '/login', {
      identifier: account.email,
      password: account.password,
    })
    const response = await browser.post('/login/mfa', { code: recoveryCodes[3] ?? '' })
    assert.equal(response.statusCode, 403)
  })
})
