import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { bearer, json, login, newAccount, register } from '../helpers/app.ts'
import { makeMailApp, PUBLIC_URL, type MailApp } from './mail-app.ts'
import { linkToken, startSmtpSink, type SmtpSink } from './smtp-sink.ts'

// SEC-AUDIT-02 as a canary: run every mail flow with the log at trace level and the audit log
// copied to a file, then look for the link tokens and the passwords in everything written.

const NEW_PASSWORD = 'canary-larkspur-obsidian-5150'
const CHANGED_PASSWORD = 'canary-juniper-harmonica-8086'

describe('no token or password in the application log or the audit log', () => {
  let sink: SmtpSink
  let t: MailApp
  let auditDir: string
  before(async () => {
    sink = await startSmtpSink()
    auditDir = mkdtempSync(join(tmpdir(), 'latchkey-canary-'))
    t = await makeMailApp({
      smtpUrl: sink.url,
      env: { LOG_LEVEL: 'trace', AUDIT_LOG_FILE: join(auditDir, 'audit.jsonl') },
    })
  })
  after(async () => {
    await t.close()
    await sink.close()
    rmSync(auditDir, { recursive: true, force: true })
  })

  it('keeps verification and reset tokens and the new passwords out of both logs', async () => {
    const account = newAccount()
    sink.refuseNext(1, 451) // a retry, so the retry path's log line is searched too
    assert.equal((await register(t.app, account)).statusCode, 201)
    const verification = await sink.waitFor((m) => m.to === account.email)
    const verifyToken = linkToken(verification.text, PUBLIC_URL, '/verify-email')
    const verified = await t.app.inject({
      method: 'POST',
      url: `/auth/email/verify?token=${verifyToken}`, // a careless client; the URL is redacted
      payload: { token: verifyToken },
    })
    assert.equal(verified.statusCode, 200)

    await t.app.inject({
      method: 'POST',
      url: '/auth/password/forgot',
      payload: { email: account.email },
    })
    const resetMail = await sink.waitFor((m) => m.to === account.email && /Reset/.test(m.subject))
    const resetToken = linkToken(resetMail.text, PUBLIC_URL, '/reset-password')
    const weak = await t.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { token: resetToken, new_password: 'short' },
    })
    assert.equal(weak.statusCode, 422)
    const reset = await t.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { token: resetToken, new_password: NEW_PASSWORD },
    })
    assert.equal(reset.statusCode, 204)
    const reused = await t.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { token: resetToken, new_password: NEW_PASSWORD },
    })
    assert.equal(json(reused)['code'], 'token_used')

    const session = await login(t.app, account.email, NEW_PASSWORD)
    const change = await t.app.inject({
      method: 'POST',
      url: '/auth/password/change',
      headers: bearer(session.accessToken),
      payload: { current_password: NEW_PASSWORD, new_password: CHANGED_PASSWORD },
    })
    assert.equal(change.statusCode, 204)
    await sink.waitFor((m) => m.to === account.email && /changed/.test(m.subject))
    await t.mail.delivery.idle()

    const events = await t.app.inject({
      method: 'GET',
      url: `/users/${session.id}/logs?limit=100`,
      headers: bearer(session.accessToken),
    })
    assert.equal(events.statusCode, 200)
    const appLog = t.logLines.join('')
    const auditFile = readFileSync(join(auditDir, 'audit.jsonl'), 'utf8')
    assert.ok(appLog.includes('mail delivery failed; will retry'), 'the log did see the mail flows')
    assert.ok(auditFile.includes('password.reset_completed'), 'the audit file did see them')

    const secrets = {
      verifyToken,
      resetToken,
      NEW_PASSWORD,
      CHANGED_PASSWORD,
      original: account.password,
    }
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!appLog.includes(secret), `${name} is not in the application log`)
      assert.ok(!auditFile.includes(secret), `${name} is not in the audit file`)
      assert.ok(!events.body.includes(secret), `${name} is not in the audit API`)
    }
  })
})
