import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, newAccount, register } from '../helpers/app.ts'
import { makeMailApp, PUBLIC_URL, type MailApp } from './mail-app.ts'
import { linkToken, startSmtpSink, type SmtpSink } from './smtp-sink.ts'

// Issue 3: "Sending never blocks or fails the request that triggers it: a mail server that is
// down or slow is retried with backoff in the background and logged, and the request still
// answers at once." The retry schedule here is milliseconds instead of minutes.

const DELAYS_MS = [150, 300, 600, 1200, 2400]

function logged(t: MailApp, message: string): Record<string, unknown>[] {
  return t.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['msg'] === message)
}

describe('mail delivery with a refusing SMTP server', () => {
  let sink: SmtpSink
  let t: MailApp
  before(async () => {
    sink = await startSmtpSink()
    t = await makeMailApp({ smtpUrl: sink.url, retryDelaysMs: DELAYS_MS })
  })
  after(async () => {
    await t.close()
    await sink.close()
  })

  it('answers at once, retries 451 with backoff, and delivers later', async () => {
    sink.refuseNext(3, 451)
    const account = newAccount()
    const started = Date.now()
    const response = await register(t.app, account)
    const answeredAt = Date.now()
    assert.equal(response.statusCode, 201)
    // Well before even the first retry (150 ms) would be due, let alone the fourth attempt.
    assert.equal(sink.received.filter((m) => m.to === account.email).length, 0)

    const mail = await sink.waitFor((m) => m.to === account.email)
    assert.equal(sink.refusals, 3)
    // Three refusals mean waits of about 150 + 300 + 600 ms (±10%) before the fourth attempt.
    assert.ok(mail.receivedAt - started >= 0.9 * (150 + 300 + 600), 'backoff was waited out')
    assert.ok(answeredAt - started < mail.receivedAt - started, 'answered before delivery')
    const verified = await t.app.inject({
      method: 'POST',
      url: '/auth/email/verify',
      payload: { token: linkToken(mail.text, PUBLIC_URL, '/verify-email') },
    })
    assert.equal(verified.statusCode, 200)

    const retries = logged(t, 'mail delivery failed; will retry')
    assert.deepEqual(
      retries.map((entry) => [entry['attempt'], entry['reason'], entry['mail']]),
      [
        [1, 'smtp_451', 'verify_email'],
        [2, 'smtp_451', 'verify_email'],
        [3, 'smtp_451', 'verify_email'],
      ],
    )
    const waits = retries.map((entry) => Number(entry['retry_in_ms']))
    assert.ok(waits[0]! < waits[1]! && waits[1]! < waits[2]!, `exponential: ${waits.join(', ')}`)
    assert.equal(logged(t, 'mail delivered').at(-1)?.['attempt'], 4)
  })

  it('answers forgot at once while the server refuses, and the link arrives later', async () => {
    const account = newAccount()
    assert.equal((await register(t.app, account)).statusCode, 201)
    await sink.waitFor((m) => m.to === account.email)
    sink.refuseNext(2, 421)
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/password/forgot',
      payload: { email: account.email },
    })
    assert.equal(response.statusCode, 202)
    const mail = await sink.waitFor((m) => m.to === account.email && /Reset/.test(m.subject))
    assert.ok(linkToken(mail.text, PUBLIC_URL, '/reset-password').length >= 43)
  })

  it('gives up after the last attempt, and at once on a permanent 5xx, without failing anyone', async () => {
    const before = sink.refusals
    sink.refuseNext(DELAYS_MS.length + 1, 451)
    const persistent = newAccount()
    assert.equal((await register(t.app, persistent)).statusCode, 201)
    await t.mail.delivery.idle()
    assert.equal(sink.refusals - before, DELAYS_MS.length + 1, 'six attempts in all')

    sink.refuseNext(1, 550)
    const rejected = newAccount()
    const response = await register(t.app, rejected)
    assert.equal(response.statusCode, 201)
    assert.equal(json(response)['email'], rejected.email)
    await t.mail.delivery.idle()
    const gaveUp = logged(t, 'mail not delivered; giving up')
    assert.deepEqual(
      gaveUp.map((entry) => [entry['attempt'], entry['reason']]),
      [
        [6, 'smtp_451'],
        [1, 'smtp_550'],
      ],
    )
    assert.equal(sink.received.filter((m) => m.to === rejected.email).length, 0)
  })
})

describe('mail delivery with no SMTP server listening', () => {
  it('still answers sign-up with 201 and logs the failure', async () => {
    const sink = await startSmtpSink()
    const url = sink.url
    await sink.close() // nothing listens on that port any more
    const t = await makeMailApp({ smtpUrl: url, retryDelaysMs: [20, 40] })
    try {
      const response = await register(t.app, newAccount())
      assert.equal(response.statusCode, 201)
      await t.mail.delivery.idle()
      const failures = logged(t, 'mail not delivered; giving up')
      assert.equal(failures.length, 1)
      assert.match(String(failures[0]?.['reason']), /^E[A-Z]+$/, 'a transport code, not a message')
    } finally {
      await t.close()
    }
  })
})
