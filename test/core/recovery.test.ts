import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Auth } from '../../src/core/auth-api.ts'
import { createAuth } from '../../src/core/auth.ts'
import { AuthError } from '../../src/core/errors.ts'
import type { AccountMail, Store } from '../../src/core/ports.ts'
import { hashToken } from '../../src/crypto/hash-token.ts'
import { createPasswordHasher } from '../../src/crypto/password-hash.ts'
import { MemoryRateLimiter } from '../../src/storage/memory/rate-limiter.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import { req, strongPassword, testSettings } from '../helpers/core.ts'
import { FakeClock } from '../helpers/fake-clock.ts'

// Core's side of issue 3 against the real SQLite store: what was mailed, and what the store holds.

function code(expected: string) {
  return (error: unknown): boolean => error instanceof AuthError && error.code === expected
}

describe('recovery in core', () => {
  let dir: string
  let store: Store
  let auth: Auth
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'))
  const outbox: AccountMail[] = []
  let counter = 0
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-recovery-'))
    store = await openSqlStore(`sqlite:${join(dir, 'core.db')}`, { migrate: true })
    auth = await createAuth({
      settings: testSettings({ rateLimit: false }),
      store,
      hasher: createPasswordHasher({ threads: 2, maxQueue: 100 }),
      rateLimiter: new MemoryRateLimiter(),
      secret: new Uint8Array(32).fill(9),
      clock,
      mail: { enqueue: (mail) => void outbox.push(mail) },
    })
  })
  after(async () => {
    await auth.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function newUser() {
    counter += 1
    return auth.register({ email: `core-${counter}@example.com`, password: strongPassword }, req)
  }

  function lastMail(
    kind: AccountMail['kind'],
    to: string,
  ): Extract<AccountMail, { token: string }> {
    const mail = outbox.findLast((m) => m.kind === kind && m.to === to)
    assert.ok(mail !== undefined && 'token' in mail, `a ${kind} mail to ${to}`)
    return mail
  }

  it('stores only the SHA-256 of a 256-bit link token', async () => {
    const user = await newUser()
    const { token } = lastMail('verify_email', user.email)
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    const consumed = await store.oneTimeTokens.consume(
      hashToken(token),
      'email_verification',
      clock.now(),
    )
    assert.equal(consumed?.kind, 'consumed', 'found by its hash')
    assert.equal(
      await store.oneTimeTokens.consume(
        new TextEncoder().encode(token),
        'email_verification',
        clock.now(),
      ),
      null,
    )
  })

  it('binds a verification token to the address it was sent to (SEC-VERIFY-01)', async () => {
    const user = await newUser()
    // A link mailed to an address the account no longer has (as after an email change).
    const token = 'b'.repeat(43)
    await store.oneTimeTokens.issue({
      tokenHash: hashToken(token),
      purpose: 'email_verification',
      userId: user.id,
      email: 'previous-address@example.com',
      data: {},
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 3600_000),
    })
    await assert.rejects(auth.verifyEmail(token, req), code('invalid_token'))
    assert.equal((await store.users.findById(user.id))?.emailVerified, false)
    const { token: real } = lastMail('verify_email', user.email)
    assert.equal((await auth.verifyEmail(real, req)).emailVerified, true)
  })

  it('refuses a reset link as a verification link and the other way round', async () => {
    const user = await newUser()
    await auth.requestPasswordReset(user.email, req)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const reset = lastMail('reset_password', user.email)
    await assert.rejects(auth.verifyEmail(reset.token, req), code('invalid_token'))
    const verify = lastMail('verify_email', user.email)
    await assert.rejects(
      auth.resetPassword({ token: verify.token, newPassword: 'quartz-meadow-bicycle-4411' }, req),
      code('invalid_token'),
    )
  })

  it('issues reset links in the background, for known and enabled accounts only', async () => {
    const user = await newUser()
    const before = outbox.length
    await auth.requestPasswordReset('nobody@example.com', req)
    await auth.requestPasswordReset(user.email, req)
    assert.equal(outbox.length, before, 'nothing happens before the caller is answered')
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(
      outbox.slice(before).map((m) => [m.kind, m.to]),
      [['reset_password', user.email]],
    )
    const disabled = await newUser()
    await store.users.update(disabled.id, { disabled: true }, clock.now())
    await auth.requestPasswordReset(disabled.email, req)
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(
      outbox.filter((m) => m.to === disabled.email && m.kind === 'reset_password').length,
      0,
    )
  })

  it('marks the address verified by a completed reset, which proved the inbox', async () => {
    const user = await newUser()
    await auth.requestPasswordReset(user.email, req)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const { token } = lastMail('reset_password', user.email)
    await auth.resetPassword({ token, newPassword: 'quartz-meadow-bicycle-4411' }, req)
    assert.equal((await store.users.findById(user.id))?.emailVerified, true)
    assert.deepEqual(outbox.at(-1), { kind: 'password_reset', to: user.email, at: clock.now() })
  })

  it('sends no verification mail to an account created already verified', async () => {
    const before = outbox.length
    await auth.createUser(
      { email: 'operator@example.com', password: strongPassword, emailVerified: true },
      req,
    )
    await auth.createUser({ email: 'pending@example.com', password: strongPassword }, req)
    assert.equal(outbox.length, before, 'the CLI path mails nobody')
  })
})
