import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  cookieHeaders,
  json,
  login,
  newAccount,
  register,
  type LoggedIn,
} from '../helpers/app.ts'
import { FakeClock } from '../helpers/fake-clock.ts'
import { makeMailApp, PUBLIC_URL, type MailApp } from './mail-app.ts'
import { linkToken, startSmtpSink, type SmtpSink } from './smtp-sink.ts'

// Issue 3 / SEC-RESET-*: forgot → mail → reset, over real SMTP, with an injected clock.

const NEW_PASSWORD = 'quartz-meadow-bicycle-4411'

describe('password reset over SMTP', () => {
  let sink: SmtpSink
  let t: MailApp
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'))
  before(async () => {
    sink = await startSmtpSink()
    t = await makeMailApp({ smtpUrl: sink.url, clock, env: { SESSION_POLICY: 'multiple' } })
  })
  after(async () => {
    await t.close()
    await sink.close()
  })

  async function account() {
    const body = newAccount()
    assert.equal((await register(t.app, body)).statusCode, 201)
    return body
  }

  async function forgot(email: string) {
    return t.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })
  }

  /** Asks for a link and reads it from the reset mail that this request sent. */
  async function resetLink(email: string): Promise<string> {
    const earlier = new Set(sink.received)
    assert.equal((await forgot(email)).statusCode, 202)
    const mail = await sink.waitFor(
      (m) => !earlier.has(m) && m.to === email && /Reset your/.test(m.subject),
    )
    return linkToken(mail.text, PUBLIC_URL, '/reset-password')
  }

  async function reset(token: string, newPassword = NEW_PASSWORD) {
    return t.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { token, new_password: newPassword },
    })
  }

  async function me(session: LoggedIn, via: 'bearer' | 'cookie') {
    const headers =
      via === 'bearer' ? bearer(session.accessToken) : cookieHeaders(session.sessionToken)
    return t.app.inject({ method: 'GET', url: '/auth/me', headers })
  }

  it('resets the password, ends every session, mails a notice, and does not sign in', async () => {
    const body = await account()
    const phone = await login(t.app, body.email, body.password)
    const laptop = await login(t.app, body.email, body.password)
    const token = await resetLink(body.email)

    const done = await reset(token)
    assert.equal(done.statusCode, 204)
    assert.equal(done.body, '')
    assert.equal(done.headers['set-cookie'], undefined, 'SEC-RESET-04: no auto-login')

    for (const session of [phone, laptop]) {
      assert.equal((await me(session, 'bearer')).statusCode, 401)
      assert.equal((await me(session, 'cookie')).statusCode, 401)
      const refresh = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refresh_token: session.refreshToken },
      })
      assert.equal(refresh.statusCode, 401)
    }
    const old = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: body.email, password: body.password },
    })
    assert.equal(old.statusCode, 401)
    const fresh = await login(t.app, body.email, NEW_PASSWORD)
    assert.equal((await me(fresh, 'bearer')).statusCode, 200)

    const notice = await sink.waitFor((m) => m.to === body.email && /was reset/.test(m.subject))
    assert.match(notice.text, /signed out/)
    assert.ok(!notice.text.includes(token))

    const again = await reset(token, 'another-long-passphrase-77')
    assert.equal(again.statusCode, 400)
    assert.equal(json(again)['code'], 'token_used')

    const logs = await t.app.inject({
      method: 'GET',
      url: `/users/${fresh.id}/logs?limit=100`,
      headers: bearer(fresh.accessToken),
    })
    const types = (json(logs)['items'] as { type: string }[]).map((event) => event.type)
    assert.ok(types.includes('password.reset_requested'))
    assert.ok(types.includes('password.reset_completed'))
    assert.ok(!logs.body.includes(token) && !logs.body.includes(NEW_PASSWORD))
  })

  it('answers 400 token_expired after PASSWORD_RESET_TTL (30 min)', async () => {
    const body = await account()
    const token = await resetLink(body.email)
    clock.advance(30 * 60 + 1)
    const late = await reset(token)
    assert.equal(late.statusCode, 400)
    assert.equal(json(late)['code'], 'token_expired')
  })

  it('voids an older link when a newer one is issued (invalid_token)', async () => {
    const body = await account()
    const older = await resetLink(body.email)
    const newer = await resetLink(body.email)
    assert.notEqual(older, newer)
    const first = await reset(older)
    assert.equal(first.statusCode, 400)
    assert.equal(json(first)['code'], 'invalid_token')
    assert.equal((await reset(newer)).statusCode, 204)
  })

  it('voids outstanding links on a password change, and mails a notice of the change', async () => {
    const body = await account()
    const token = await resetLink(body.email)
    const session = await login(t.app, body.email, body.password)
    const change = await t.app.inject({
      method: 'POST',
      url: '/auth/password/change',
      headers: bearer(session.accessToken),
      payload: { current_password: body.password, new_password: NEW_PASSWORD },
    })
    assert.equal(change.statusCode, 204)
    const stale = await reset(token, 'an-attacker-chosen-password-9')
    assert.equal(stale.statusCode, 400)
    assert.equal(json(stale)['code'], 'invalid_token')
    const notice = await sink.waitFor((m) => m.to === body.email && /was changed/.test(m.subject))
    assert.ok(notice.html.length > 0 && notice.text.length > 0)
  })

  it('refuses a weak password with 422 and leaves the link usable', async () => {
    const body = await account()
    const token = await resetLink(body.email)
    for (const weak of ['short', 'passwordpassword', body.email]) {
      const refused = await reset(token, weak)
      assert.equal(refused.statusCode, 422, weak)
      assert.equal(json(refused)['code'], 'validation_failed')
    }
    assert.equal((await reset(token)).statusCode, 204)
  })

  it('answers junk tokens with 400 invalid_token', async () => {
    for (const token of ['', 'x', 'A'.repeat(43), 'A'.repeat(512)]) {
      const response = await reset(token)
      assert.ok([400, 422].includes(response.statusCode), token)
      if (token !== '') assert.equal(json(response)['code'], 'invalid_token')
    }
  })

  it('answers forgot for unknown and known addresses with the same status and body', async () => {
    const body = await account()
    const known = await forgot(body.email)
    const unknown = await forgot(`nobody-${Date.now()}@example.com`)
    assert.equal(known.statusCode, 202)
    assert.equal(unknown.statusCode, 202)
    assert.equal(known.body, unknown.body)
    assert.equal(known.headers['content-type'], unknown.headers['content-type'])
    assert.equal(known.headers['content-length'], unknown.headers['content-length'])
    // The same address in another spelling reaches the same account.
    const shouted = await forgot(`  ${body.email.toUpperCase()} `)
    assert.equal(shouted.statusCode, 202)
    assert.equal(shouted.body, known.body)
    const malformed = await forgot('not an address')
    assert.equal(malformed.statusCode, 422)
  })
})
