// The two-factor pages without a browser: set-up with an inline QR code, recovery codes shown
// once, the code step of /login, turning 2FA off, and where the passkey script may run.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'
import { SettableClock } from '../helpers/clock.ts'
import { codeAt } from '../helpers/mfa.ts'
import { PageClient } from './page-client.ts'

const SETTINGS = '/settings/security'

describe('pages: two-factor authentication and passkeys', () => {
  let t: TestApp
  const clock = new SettableClock(new Date())
  before(async () => {
    t = await makeApp({}, { clock })
  })
  after(async () => t.close())

  function freshCode(secret: string): string {
    clock.advance(30)
    return codeAt(secret, clock.now())
  }

  it('sets up 2FA with an inline QR code, shows the recovery codes once, then asks for a code at login', async () => {
    const browser = new PageClient(t.app)
    const account = newAccount()
    await browser.signUp(account)

    const settings = await browser.get(SETTINGS)
    assert.match(settings.body, /Two-factor authentication/)
    assert.match(settings.body, /Set up two-factor authentication/)
    const started = await browser.submit(SETTINGS, `${SETTINGS}/2fa/setup`, {})
    assert.equal(started.statusCode, 303)
    assert.equal(started.headers.location, `${SETTINGS}/2fa`)

    const setup = await browser.get(`${SETTINGS}/2fa`)
    assert.equal(setup.statusCode, 200)
    assert.match(setup.body, /<img\s+src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/)
    const secret = (/<code class="mono">([A-Z2-7 ]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(
      / /g,
      '',
    )
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.doesNotMatch(setup.body, /<script/i)

    const wrong = await browser.submit(`${SETTINGS}/2fa`, `${SETTINGS}/2fa/enable`, {
      code: '000000',
    })
    assert.equal(wrong.statusCode, 401)
    assert.match(wrong.body, /is not right/)
    assert.match(wrong.body, /data:image\/svg\+xml/, 'the QR code is shown again')

    const enabled = await browser.submit(`${SETTINGS}/2fa`, `${SETTINGS}/2fa/enable`, {
      code: freshCode(secret),
    })
    assert.equal(enabled.statusCode, 200)
    assert.equal(enabled.headers['cache-control'], 'no-store')
    const codes = [...enabled.body.matchAll(/<li>([0-9a-z]{5}-[0-9a-z]{5})<\/li>/g)].map(
      (m) => m[1],
    )
    assert.equal(codes.length, 10)
    const again = await browser.get(`${SETTINGS}/2fa`)
    assert.equal(again.statusCode, 303, 'the secret is never shown after enabling')
    const on = await browser.get(SETTINGS)
    assert.match(on.body, /10 recovery codes are/)
    assert.doesNotMatch(on.body, new RegExp(secret))

    // A new browser: password, then the code page, then signed in.
    const laptop = new PageClient(t.app)
    const password = await laptop.submit('/login?next=/profile', '/login', {
      identifier: account.email,
      password: account.password,
      next: '/profile',
    })
    assert.equal(password.statusCode, 303)
    assert.match(String(password.headers.location), /^\/login\/mfa/)
    assert.ok(!laptop.cookies.has('__Host-latchkey_session'), 'no session before the code')
    const secure = await laptop.get('/secure')
    assert.equal(secure.statusCode, 303, 'the password alone opens nothing')
    const done = await laptop.submit(String(password.headers.location), '/login/mfa', {
      code: freshCode(secret),
      next: '/profile',
    })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, '/profile')
    assert.ok(laptop.cookies.has('__Host-latchkey_session'))

    // Turning it off asks for a code; a wrong one changes nothing.
    const refused = await laptop.submit(SETTINGS, `${SETTINGS}/2fa/disable`, {
      disable_code: '000000',
    })
    assert.equal(refused.statusCode, 303)
    assert.match((await laptop.get(SETTINGS)).body, /<span class="badge ok">On<\/span>/)
    const off = await laptop.submit(SETTINGS, `${SETTINGS}/2fa/disable`, {
      disable_code: codes[0] ?? '',
    })
    assert.equal(off.statusCode, 303)
    const after = await laptop.get(SETTINGS)
    assert.match(after.body, /Two-factor authentication is off/)
    assert.match(after.body, /Set up two-factor authentication/)
  })

  it('replaces the recovery codes from the settings page', async () => {
    const browser = new PageClient(t.app)
    await browser.signUp(newAccount())
    await browser.submit(SETTINGS, `${SETTINGS}/2fa/setup`, {})
    const setup = await browser.get(`${SETTINGS}/2fa`)
    const secret = (/<code class="mono">([A-Z2-7 ]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(
      / /g,
      '',
    )
    await browser.submit(`${SETTINGS}/2fa`, `${SETTINGS}/2fa/enable`, { code: freshCode(secret) })
    const fresh = await browser.submit(SETTINGS, `${SETTINGS}/2fa/recovery-codes`, {
      regenerate_code: freshCode(secret),
    })
    assert.equal(fresh.statusCode, 200)
    assert.equal([...fresh.body.matchAll(/<li>[0-9a-z]{5}-[0-9a-z]{5}<\/li>/g)].length, 10)
  })

  it('runs the passkey script only where passkeys are offered, from a file', async () => {
    const browser = new PageClient(t.app)
    await browser.signUp(newAccount())
    const scriptCSP = /script-src 'self'; connect-src 'self'$/
    for (const path of ['/login/passkey', SETTINGS]) {
      const page = await (path === SETTINGS ? browser : new PageClient(t.app)).get(path)
      assert.equal(page.statusCode, 200, path)
      assert.match(String(page.headers['content-security-policy']), scriptCSP, path)
      assert.match(page.body, /<script src="\/assets\/passkeys\.js\?v=[\w-]{12}" defer><\/script>/)
      assert.doesNotMatch(page.body, /<script>|<script [^s]|\son[a-z]+=/i, 'no inline script')
    }
    for (const path of ['/login', `${SETTINGS}/2fa`, '/register']) {
      const page = await new PageClient(t.app).get(path)
      assert.doesNotMatch(String(page.headers['content-security-policy']), /script-src/, path)
    }
    const login = await new PageClient(t.app).get('/login')
    assert.match(login.body, /href="\/login\/passkey"/)
    const href = /src="(\/assets\/passkeys\.js\?v=[\w-]+)"/.exec(
      (await new PageClient(t.app).get('/login/passkey')).body,
    )?.[1]
    const script = await t.app.inject({ url: href ?? '' })
    assert.equal(script.statusCode, 200)
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8')
    assert.equal(script.headers['x-content-type-options'], 'nosniff')
    assert.match(script.body, /navigator\.credentials\.create/)
  })
})
