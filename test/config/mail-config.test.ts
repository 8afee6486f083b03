import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config/env.ts'
import { buildServer } from '../../src/server.ts'
import { makeMailApp } from '../integration/mail-app.ts'

function refusedVariable(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    assert.ok(!error.message.includes('\n'), 'one line')
    return error.variable
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`)
}

describe('mail configuration', () => {
  it('defaults to the dev outbox, Latchkey <no-reply@localhost>, 24 h and 30 min', () => {
    const config = loadConfig({})
    assert.deepEqual(config.mail, {
      smtpUrl: null,
      from: { name: 'Latchkey', address: 'no-reply@localhost' },
    })
    assert.equal(config.auth.emailVerificationTtlSeconds, 86_400)
    assert.equal(config.auth.passwordResetTtlSeconds, 1800)
  })

  it('reads SMTP_URL, MAIL_FROM and the link lifetimes', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://user:secret@mail.example.com:465',
      MAIL_FROM: '"Acme Accounts" <accounts@acme.example>',
      EMAIL_VERIFICATION_TTL: '2d',
      PASSWORD_RESET_TTL: '15m',
    })
    assert.equal(config.mail.smtpUrl, 'smtps://user:secret@mail.example.com:465')
    assert.deepEqual(config.mail.from, { name: 'Acme Accounts', address: 'accounts@acme.example' })
    assert.equal(config.auth.emailVerificationTtlSeconds, 2 * 86_400)
    assert.equal(config.auth.passwordResetTtlSeconds, 900)
    assert.deepEqual(loadConfig({ MAIL_FROM: 'bare@example.com' }).mail.from, {
      name: null,
      address: 'bare@example.com',
    })
  })

  it('refuses bad values with one line naming the variable, never echoing SMTP credentials', () => {
    const cases: [string, string][] = [
      ['SMTP_URL', 'http://mail.example.com'],
      ['SMTP_URL', 'not a url'],
      ['MAIL_FROM', 'nobody'],
      ['MAIL_FROM', 'Name <not an address>'],
      ['PASSWORD_RESET_TTL', '2d'],
      ['PASSWORD_RESET_TTL', '10s'],
      ['EMAIL_VERIFICATION_TTL', 'soon'],
    ]
    for (const [variable, value] of cases) {
      assert.equal(refusedVariable({ [variable]: value }), variable, `${variable}=${value}`)
    }
    try {
      loadConfig({ SMTP_URL: 'ftp://user:hunter2@mail.example.com' })
    } catch (error) {
      assert.ok(error instanceof ConfigError && !error.message.includes('hunter2'))
    }
  })

  it('refuses to serve in production without SMTP_URL, in one configuration line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-prod-'))
    try {
      const config = loadConfig({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://auth.example.com',
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        SECRET_KEY_FILE: join(dir, 'secret'),
        LOG_LEVEL: 'silent',
      })
      await assert.rejects(buildServer(config), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.variable, 'SMTP_URL')
        assert.match(error.message, /^SMTP_URL: required when NODE_ENV=production/)
        assert.ok(!error.message.includes('\n'))
        return true
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says in one log line where the dev outbox is when SMTP_URL is unset', async () => {
    const t = await makeMailApp()
    try {
      const lines = t.logLines.filter((line) => line.includes('dev outbox'))
      assert.equal(lines.length, 1)
      assert.match(lines[0] ?? '', /https:\/\/auth\.example\.test\/dev\/mail/)
      assert.ok(t.mail.devOutbox !== null)
    } finally {
      await t.close()
    }
  })
})
