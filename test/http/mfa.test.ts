// api.md "Auth endpoints": /auth/2fa/setup, /enable, /disable and the two-step login
// /auth/login -> {mfa_required, mfa_token} -> /auth/login/mfa, through the real server.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  cookieHeaders,
  json,
  makeApp,
  newAccount,
  register,
  sessionSetCookie,
  sessionTokenFrom,
  signUpAdmin,
  type TestApp,
} from '../helpers/app.ts'
import { SettableClock } from '../helpers/clock.ts'
import { codeAt } from '../helpers/mfa.ts'

describe('two-factor authentication (JSON API)', () => {
  let t: TestApp
  const clock = new SettableClock(new Date())
  before(async () => {
    t = await makeApp({}, { clock })
  })
  after(async () => t.close())

  /** The code the phone shows; time moves on a step first so every code is fresh. */
  function freshCode(secret: string): string {
    clock.advance(30)
    return codeAt(secret, clock.now())
  }

  async function post(url: string, token: string | null, payload?: unknown) {
    return t.app.inject({
      method: 'POST',
      url,
      headers: token === null ? {} : bearer(token),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    })
  }

  async function passwordLogin(email: string, password: string) {
    return t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  }

  /** A registered user with 2FA on: its secret, recovery codes and a live access token. */
  async function enrolledUser() {
    const account = newAccount()
    await register(t.app, account)
    const login = json(await passwordLogin(account.email, account.password))
    const accessToken = String(login['access_token'])
    const setup = await post('/auth/2fa/setup', accessToken)
    assert.equal(setup.statusCode, 200, setup.body)
    const { secret, otpauth_url: url, qr_svg: svg } = json(setup)
    assert.equal(typeof secret, 'string')
    assert.match(String(url), /^otpauth:\/\/totp\/localhost:.+\?.*secret=/)
    assert.match(String(svg), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    assert.doesNotMatch(String(svg), /<script|href=/i)
    const enable = await post('/auth/2fa/enable', accessToken, { code: freshCode(String(secret)) })
    assert.equal(enable.statusCode, 200, enable.body)
    const codes = json(enable)['recovery_codes'] as string[]
    return { account, secret: String(secret), codes, accessToken }
  }

  it('enables with a first code, then refuses set-up (409) and never shows the secret again', async () => {
    const { accessToken, codes } = await enrolledUser()
    assert.equal(codes.length, 10)
    assert.equal(new Set(codes).size, 10)
    const again = await post('/auth/2fa/setup', accessToken)
    assert.equal(again.statusCode, 409)
    assert.equal(json(again)['code'], 'mfa_already_enabled')
    assert.ok(!again.body.includes('secret'))
    const status = await t.app.inject({ url: '/auth/2fa', headers: bearer(accessToken) })
    assert.deepEqual(json(status), { enabled: true, pending: false, recovery_codes_left: 10 })
    const me = await t.app.inject({ url: '/auth/me', headers: bearer(accessToken) })
    assert.equal(json(me)['mfa_enabled'], true)
  })

  it('refuses to enable with a wrong code (401) and without a set-up (409)', async () => {
    const account = newAccount()
    await register(t.app, account)
    const accessToken = String(
      json(await passwordLogin(account.email, account.password))['access_token'],
    )
    const none = await post('/auth/2fa/enable', accessToken, { code: '123456' })
    assert.equal(json(none)['code'], 'mfa_setup_required')
    await post('/auth/2fa/setup', accessToken)
    const wrong = await post('/auth/2fa/enable', accessToken, { code: '000000' })
    assert.equal(wrong.statusCode, 401)
    assert.equal(json(wrong)['code'], 'invalid_mfa_code')
    assert.match(String(wrong.headers['content-type']), /^application\/problem\+json/)
    assert.equal((await post('/auth/2fa/setup', null)).statusCode, 401)
  })

  it('logs in in two steps: no session, token or cookie before the code', async () => {
    const { account, secret } = await enrolledUser()
    const first = await passwordLogin(account.email, account.password)
    assert.equal(first.statusCode, 200)
    const body = json(first)
    assert.deepEqual(Object.keys(body).sort(), ['expires_in', 'mfa_required', 'mfa_token'])
    assert.equal(body['mfa_required'], true)
    // Counted against real time, like the cookie's Max-Age (this test's clock runs ahead).
    assert.ok(Number.isInteger(body['expires_in']) && Number(body['expires_in']) > 0)
    assert.equal(sessionSetCookie(first), undefined, 'no session cookie')
    const mfaToken = String(body['mfa_token'])

    // The ticket grants nothing by itself (SEC-SESS-08).
    for (const headers of [bearer(mfaToken), cookieHeaders(mfaToken)]) {
      const me = await t.app.inject({ url: '/auth/me', headers })
      assert.equal(me.statusCode, 401)
    }
    const refresh = await post('/auth/refresh', null, { refresh_token: mfaToken })
    assert.equal(refresh.statusCode, 401)

    const wrong = await post('/auth/login/mfa', null, { mfa_token: mfaToken, code: '000000' })
    assert.equal(wrong.statusCode, 401)
    assert.equal(json(wrong)['code'], 'invalid_mfa_code')
    assert.equal(sessionSetCookie(wrong), undefined)

    const second = await post('/auth/login/mfa', null, {
      mfa_token: mfaToken,
      code: freshCode(secret),
    })
    assert.equal(second.statusCode, 200, second.body)
    const tokens = json(second)
    assert.equal((tokens['user'] as Record<string, unknown>)['email'], account.email)
    const me = await t.app.inject({
      url: '/auth/me',
      headers: bearer(String(tokens['access_token'])),
    })
    assert.equal(me.statusCode, 200)
    const viaCookie = await t.app.inject({
      url: '/auth/me',
      headers: cookieHeaders(sessionTokenFrom(second)),
    })
    assert.equal(viaCookie.statusCode, 200)

    const reused = await post('/auth/login/mfa', null, {
      mfa_token: mfaToken,
      code: freshCode(secret),
    })
    assert.equal(reused.statusCode, 401)
    assert.equal(json(reused)['code'], 'invalid_mfa_token')
  })

  it('takes a recovery code once, in place of the TOTP code', async () => {
    const { account, codes } = await enrolledUser()
    const code = codes[3] ?? ''
    const ticket = async () =>
      String(json(await passwordLogin(account.email, account.password))['mfa_token'])
    const ok = await post('/auth/login/mfa', null, { mfa_token: await ticket(), code })
    assert.equal(ok.statusCode, 200)
    const again = await post('/auth/login/mfa', null, { mfa_token: await ticket(), code })
    assert.equal(json(again)['code'], 'invalid_mfa_code')
  })

  it('needs a code to disable (401 without the right one), and is then off', async () => {
    const { account, secret, accessToken } = await enrolledUser()
    assert.equal((await post('/auth/2fa/disable', accessToken, {})).statusCode, 422)
    const wrong = await post('/auth/2fa/disable', accessToken, { code: '000000' })
    assert.equal(wrong.statusCode, 401)
    assert.equal(json(wrong)['code'], 'invalid_mfa_code')
    const off = await post('/auth/2fa/disable', accessToken, { code: freshCode(secret) })
    assert.equal(off.statusCode, 204)
    assert.equal(
      json(await post('/auth/2fa/disable', accessToken, { code: '123456' }))['code'],
      'mfa_not_enabled',
    )
    const login = await passwordLogin(account.email, account.password)
    assert.ok('access_token' in json(login), 'a plain login again')
  })

  it('replaces the recovery codes wholesale with a current code', async () => {
    const { account, secret, codes, accessToken } = await enrolledUser()
    const fresh = await post('/auth/2fa/recovery-codes', accessToken, { code: freshCode(secret) })
    assert.equal(fresh.statusCode, 200)
    const newCodes = json(fresh)['recovery_codes'] as string[]
    assert.equal(newCodes.length, 10)
    assert.ok(newCodes.every((c) => !codes.includes(c)))
    const ticket = String(json(await passwordLogin(account.email, account.password))['mfa_token'])
    const old = await post('/auth/login/mfa', null, { mfa_token: ticket, code: codes[0] })
    assert.equal(json(old)['code'], 'invalid_mfa_code')
  })

  it('lets an admin reset a user’s 2FA, ending the user’s sessions (audited)', async () => {
    const { account, accessToken } = await enrolledUser()
    const me = json(await t.app.inject({ url: '/auth/me', headers: bearer(accessToken) }))
    const admin = await signUpAdmin(t)
    const patch = (token: string, payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'PATCH',
        url: `/users/${String(me['id'])}`,
        headers: bearer(token),
        payload,
      })
    assert.equal((await patch(accessToken, { mfa_enabled: false })).statusCode, 403)
    assert.equal((await patch(admin.accessToken, { mfa_enabled: true })).statusCode, 422)
    const reset = await patch(admin.accessToken, { mfa_enabled: false })
    assert.equal(reset.statusCode, 200)
    assert.equal(json(reset)['mfa_enabled'], false)
    assert.equal(
      (await t.app.inject({ url: '/auth/me', headers: bearer(accessToken) })).statusCode,
      401,
    )
    const logs = await t.app.inject({
      url: `/users/${String(me['id'])}/logs?type=mfa.disabled`,
      headers: bearer(admin.accessToken),
    })
    const events = json(logs)['items'] as Record<string, unknown>[]
    assert.equal(events[0]?.['actor_id'], admin.id)
    assert.ok('access_token' in json(await passwordLogin(account.email, account.password)))
  })

  it('limits wrong codes per account with 429 and Retry-After', async () => {
    const { account } = await enrolledUser()
    const ticket = String(json(await passwordLogin(account.email, account.password))['mfa_token'])
    const statuses: number[] = []
    let last = await post('/auth/login/mfa', null, { mfa_token: ticket, code: '000000' })
    for (let i = 0; i < 8 && last.statusCode !== 429; i++) {
      statuses.push(last.statusCode)
      last = await post('/auth/login/mfa', null, { mfa_token: ticket, code: '000000' })
    }
    assert.equal(last.statusCode, 429, statuses.join(','))
    assert.ok(Number(last.headers['retry-after']) >= 1)
    assert.equal(json(last)['code'], 'rate_limited')
  })
})
