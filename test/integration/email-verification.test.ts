import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bearer, json, login, newAccount, register } from '../helpers/app.ts'
import { FakeClock } from '../helpers/fake-clock.ts'
import { makeMailApp, PUBLIC_URL, type MailApp } from './mail-app.ts'
import { linkToken, startSmtpSink, type SmtpSink } from './smtp-sink.ts'

// Issue 3 over real SMTP: sign-up mails a verification link; following it verifies the address.

describe('email verification over SMTP', () => {
  let sink: SmtpSink
  let t: MailApp
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'))
  before(async () => {
    sink = await startSmtpSink()
    t = await makeMailApp({ smtpUrl: sink.url, clock })
  })
  after(async () => {
    await t.close()
    await sink.close()
  })

  async function signUpAndReadMail(overrides: Record<string, unknown> = {}) {
    const account = newAccount(overrides)
    const response = await register(t.app, account)
    assert.equal(response.statusCode, 201)
    const mail = await sink.waitFor((m) => m.to === account.email && /Confirm/.test(m.subject))
    return {
      account,
      user: json(response),
      mail,
      token: linkToken(mail.text, PUBLIC_URL, '/verify-email'),
    }
  }

  async function verify(token: unknown) {
    return t.app.inject({ method: 'POST', url: '/auth/email/verify', payload: { token } })
  }

  it('mails a link on sign-up; following it verifies the address, once', async () => {
    const { user, mail, token } = await signUpAndReadMail()
    assert.equal(user['email_verified'], false)
    assert.match(mail.subject, /Latchkey/)
    assert.match(mail.from, /no-reply@localhost/)
    // Both parts, from PUBLIC_URL, the same token in each; the HTML escapes the & of any query.
    assert.equal(linkToken(mail.html, PUBLIC_URL, '/verify-email'), token)
    assert.match(mail.html, /<a\s+href="https:\/\/auth\.example\.test\/verify-email\?token=/)
    assert.ok(token.length >= 43, '256-bit token, base64url')

    const first = await verify(token)
    assert.equal(first.statusCode, 200)
    assert.equal(json(first)['id'], user['id'])
    assert.equal(json(first)['email_verified'], true)

    const again = await verify(token)
    assert.equal(again.statusCode, 400)
    assert.equal(json(again)['code'], 'token_used')
  })

  it('builds links from PUBLIC_URL, never from the Host header (SEC-RESET-05)', async () => {
    const account = newAccount()
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
      payload: account,
    })
    assert.equal(response.statusCode, 201)
    const mail = await sink.waitFor((m) => m.to === account.email)
    assert.ok(!mail.text.includes('evil.example') && !mail.html.includes('evil.example'))
    linkToken(mail.text, PUBLIC_URL, '/verify-email')
  })

  it('answers 400 token_expired after EMAIL_VERIFICATION_TTL (24 h), invalid_token for junk', async () => {
    const { token } = await signUpAndReadMail()
    clock.advance(24 * 3600 + 1)
    const late = await verify(token)
    assert.equal(late.statusCode, 400)
    assert.equal(json(late)['code'], 'token_expired')
    assert.match(String(late.headers['content-type']), /^application\/problem\+json/)

    for (const junk of ['nope', 'A'.repeat(43), `${token}x`]) {
      const response = await verify(junk)
      assert.equal(response.statusCode, 400, junk)
      assert.equal(json(response)['code'], 'invalid_token')
    }
    const wrongType = await verify({ $ne: null })
    assert.equal(wrongType.statusCode, 422)
  })

  it('resends a link on request (202), and nothing once verified', async () => {
    const { account, token } = await signUpAndReadMail()
    const session = await login(t.app, account.email, account.password)
    const resend = () =>
      t.app.inject({
        method: 'POST',
        url: '/auth/email/verify/resend',
        headers: bearer(session.accessToken),
      })
    const first = await resend()
    assert.equal(first.statusCode, 202)
    const second = await sink.waitFor(
      (m) => m.to === account.email && linkToken(m.text, PUBLIC_URL, '/verify-email') !== token,
    )
    const fresh = linkToken(second.text, PUBLIC_URL, '/verify-email')
    assert.equal((await verify(fresh)).statusCode, 200)

    const count = sink.received.filter((m) => m.to === account.email).length
    const afterVerified = await resend()
    assert.equal(afterVerified.statusCode, 202)
    assert.deepEqual(json(afterVerified), json(first), 'the same answer either way')
    await t.mail.delivery.idle()
    assert.equal(sink.received.filter((m) => m.to === account.email).length, count)

    const anonymous = await t.app.inject({ method: 'POST', url: '/auth/email/verify/resend' })
    assert.equal(anonymous.statusCode, 401)
  })

  it('records email.verified in the audit log, without the token', async () => {
    const { account, token } = await signUpAndReadMail()
    await verify(token)
    const session = await login(t.app, account.email, account.password)
    const logs = await t.app.inject({
      method: 'GET',
      url: `/users/${session.id}/logs`,
      headers: bearer(session.accessToken),
    })
    assert.equal(logs.statusCode, 200)
    assert.ok(logs.body.includes('"email.verified"'))
    assert.ok(!logs.body.includes(token))
  })
})

describe('REQUIRE_EMAIL_VERIFICATION=on', () => {
  let sink: SmtpSink
  let t: MailApp
  before(async () => {
    sink = await startSmtpSink()
    t = await makeMailApp({ smtpUrl: sink.url, env: { REQUIRE_EMAIL_VERIFICATION: 'on' } })
  })
  after(async () => {
    await t.close()
    await sink.close()
  })

  it('refuses login with 403 email_not_verified, only after the right password', async () => {
    const account = newAccount()
    assert.equal((await register(t.app, account)).statusCode, 201)
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: account.email, password },
      })
    const wrong = await attempt('not the right password at all')
    assert.equal(wrong.statusCode, 401)
    assert.equal(json(wrong)['code'], 'invalid_credentials')
    const unverified = await attempt(account.password)
    assert.equal(unverified.statusCode, 403)
    assert.equal(json(unverified)['code'], 'email_not_verified')

    const mail = await sink.waitFor((m) => m.to === account.email)
    const verified = await t.app.inject({
      method: 'POST',
      url: '/auth/email/verify',
      payload: { token: linkToken(mail.text, PUBLIC_URL, '/verify-email') },
    })
    assert.equal(verified.statusCode, 200)
    assert.equal((await attempt(account.password)).statusCode, 200)
  })
})
