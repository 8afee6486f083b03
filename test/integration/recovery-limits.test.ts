import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config/env.ts'
import { DevOutbox } from '../../src/mail/dev-outbox.ts'
import { MailDeliveryError } from '../../src/mail/mail-error.ts'
import { SmtpMailer } from '../../src/mail/smtp-mailer.ts'
import { bearer, json, login, newAccount, register } from '../helpers/app.ts'
import { makeMailApp, type MailApp } from './mail-app.ts'
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts'

// SEC-RATE-05 and SEC-ENUM-03 on the mail endpoints, and SEC-INPUT-02's "no CRLF in mail headers".

describe('rate limits on the mail endpoints', () => {
  let sink: SmtpSink
  let t: MailApp
  before(async () => {
    sink = await startSmtpSink()
    t = await makeMailApp({ smtpUrl: sink.url, env: { RATE_LIMIT: 'on' } })
  })
  after(async () => {
    await t.close()
    await sink.close()
  })

  const forgot = (email: string, ip = '192.0.2.1') =>
    t.app.inject({
      method: 'POST',
      url: '/auth/password/forgot',
      payload: { email },
      remoteAddress: ip,
    })

  it('limits forgot per email address, known or not, whatever the spelling or caller', async () => {
    const account = newAccount()
    assert.equal((await register(t.app, { ...account })).statusCode, 201)
    const unknown = `nobody-${Date.now()}@example.com`
    for (const email of [account.email, unknown]) {
      const answers = []
      // Three per 15 minutes, from three different callers, in three spellings.
      for (const [i, spelling] of [email, email.toUpperCase(), ` ${email} `, email].entries()) {
        answers.push(await forgot(spelling, `198.51.100.${i + 1}`))
      }
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        [202, 202, 202, 429],
        email,
      )
      const limited = answers[3]!
      assert.equal(json(limited)['code'], 'rate_limited')
      assert.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After')
    }
  })

  it('answers the limit on a known address exactly as on an unknown one', async () => {
    const account = newAccount()
    assert.equal((await register(t.app, { ...account })).statusCode, 201)
    const unknown = `ghost-${Date.now()}@example.com`
    const last = async (email: string) => {
      let response = await forgot(email, '203.0.113.9')
      for (let i = 0; i < 3; i += 1) response = await forgot(email, '203.0.113.9')
      return response
    }
    const known = await last(account.email)
    const ghost = await last(unknown)
    assert.equal(known.statusCode, 429)
    assert.equal(known.statusCode, ghost.statusCode)
    assert.equal(known.body, ghost.body)
  })

  it('limits forgot per caller address across many email addresses', async () => {
    const statuses = []
    for (let i = 0; i < 11; i += 1)
      statuses.push((await forgot(`sweep-${i}@example.com`, '192.0.2.200')).statusCode)
    assert.deepEqual(statuses.slice(0, 10), Array<number>(10).fill(202))
    assert.equal(statuses[10], 429)
  })

  it('limits verification resends per account (429 with Retry-After)', async () => {
    const account = newAccount()
    assert.equal((await register(t.app, { ...account })).statusCode, 201)
    const session = await login(t.app, account.email, account.password)
    const statuses = []
    for (let i = 0; i < 4; i += 1) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/email/verify/resend',
        headers: bearer(session.accessToken),
        remoteAddress: `198.18.0.${i + 1}`,
      })
      statuses.push(response.statusCode)
      if (response.statusCode === 429) assert.ok(Number(response.headers['retry-after']) > 0)
    }
    assert.deepEqual(statuses, [202, 202, 202, 429])
  })

  it('limits reset attempts per caller address', async () => {
    const statuses = []
    for (let i = 0; i < 11; i += 1) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/password/reset',
        payload: { token: 'A'.repeat(43), new_password: 'quartz-meadow-bicycle-4411' },
        remoteAddress: '192.0.2.77',
      })
      statuses.push(response.statusCode)
    }
    assert.deepEqual(statuses.slice(0, 10), Array<number>(10).fill(400))
    assert.equal(statuses[10], 429)
  })
})

describe('CR/LF in mail headers (SEC-INPUT-02)', () => {
  it('refuses MAIL_FROM with CR or LF at start, in one line naming the variable', () => {
    for (const from of [
      'Latchkey <a@example.com>\r\nBcc: victim@example.com',
      'A\nB <a@example.com>',
    ]) {
      assert.throws(
        () => loadConfig({ MAIL_FROM: from }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'MAIL_FROM' &&
          !error.message.includes('\n'),
      )
    }
  })

  it('refuses a sign-up address with CR/LF (422), so it never becomes a To: header', async () => {
    const t = await makeMailApp()
    try {
      const response = await register(
        t.app,
        newAccount({ email: 'a@example.com\r\nBcc: b@example.com' }),
      )
      assert.equal(response.statusCode, 422)
      assert.equal(t.mail.devOutbox?.list().length, 0)
    } finally {
      await t.close()
    }
  })

  it('has both transports refuse a header value with CR/LF, permanently, before sending', async () => {
    const sink = await startSmtpSink()
    const smtp = new SmtpMailer(sink.url, { name: 'Latchkey', address: 'no-reply@example.com' })
    const outbox = new DevOutbox()
    const bad = [
      { to: 'a@example.com\r\nBcc: b@example.com', subject: 'Hi', text: 't', html: '<p>t</p>' },
      { to: 'a@example.com', subject: 'Hi\r\nBcc: b@example.com', text: 't', html: '<p>t</p>' },
      { to: 'a@example.com', subject: 'Hi\nX-Evil: 1', text: 't', html: '<p>t</p>' },
    ]
    try {
      for (const message of bad) {
        for (const mailer of [smtp, outbox]) {
          await assert.rejects(mailer.send(message), (error: unknown) => {
            assert.ok(error instanceof MailDeliveryError)
            assert.equal(error.permanent, true)
            return true
          })
        }
      }
      assert.equal(sink.received.length, 0)
      assert.equal(outbox.list().length, 0)
      // And a clean message goes through both.
      const good = { to: 'a@example.com', subject: 'Hi', text: 't', html: '<p>t</p>' }
      await smtp.send(good)
      await outbox.send(good)
      assert.equal(
        (await sink.waitFor((m) => m.to === 'a@example.com')).from,
        '"Latchkey" <no-reply@example.com>',
      )
    } finally {
      smtp.close()
      await sink.close()
    }
  })
})
