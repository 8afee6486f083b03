// The background deletion of sessions long past their absolute expiry, of expired one-time tokens
// and of idle login-throttle keys (src/core/maintenance/), over the real SQLite store and the real
// login path.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import { AuthError } from '../../src/core/errors.ts'
import { ExpiredRowSweeper } from '../../src/core/maintenance/sweeper.ts'
import type { Logger, SessionStore } from '../../src/core/ports.ts'
import { hashToken } from '../../src/crypto/hash-token.ts'
import { makeCore, req, strongPassword, type CoreHarness } from '../helpers/core.ts'

const DAY = 86_400

/** Keeps what the sweeper logs, and says when it logs. */
class RecordingLogger extends EventEmitter implements Logger {
  readonly lines: { level: string; fields: object; message: string }[] = []
  info = (fields: object, message: string): void => this.#record('info', fields, message)
  warn = (fields: object, message: string): void => this.#record('warn', fields, message)
  error = (fields: object, message: string): void => this.#record('error', fields, message)
  #record(level: string, fields: object, message: string): void {
    this.lines.push({ level, fields, message })
    this.emit('line')
  }
}

/** The real store's sessions, counting the deletes asked of it. */
function counting(sessions: SessionStore): SessionStore & { deletes: number } {
  const counted = Object.create(sessions) as SessionStore & { deletes: number }
  counted.deletes = 0
  counted.deleteExpired = (before, limit) => {
    counted.deletes += 1
    return sessions.deleteExpired(before, limit)
  }
  return counted
}

/** A user with `count` sessions that began 40 days ago and ended 10 days ago (ids old-0…). */
async function userWithOldSessions(core: CoreHarness, email: string, count: number): Promise<void> {
  const user = await core.auth.register({ email, password: strongPassword }, req)
  const now = core.clock.now().getTime()
  for (let i = 0; i < count; i += 1) {
    await core.store.sessions.create({
      id: `old-${i}`,
      userId: user.id,
      secretHash: new Uint8Array(32),
      createdAt: new Date(now - 40 * DAY * 1000),
      lastSeenAt: new Date(now - 40 * DAY * 1000),
      expiresAt: new Date(now - 10 * DAY * 1000 + i), // distinct, so "oldest first" is defined
      ip: null,
      userAgent: null,
    })
  }
}

const refusal = (code: string) => (error: unknown) =>
  error instanceof AuthError && error.code === code

/** The stores the sweeper works on, with `sessions` counting its deletes. */
function sweptWithCounting(core: CoreHarness) {
  return { ...storesOf(core), sessions: counting(core.store.sessions) }
}

function storesOf(core: CoreHarness) {
  const { sessions, oneTimeTokens, loginThrottle } = core.store
  return { sessions, oneTimeTokens, loginThrottle }
}

describe('expired row sweeper', () => {
  it('deletes a session a day past its absolute expiry, with its refresh token, and keeps the live one', async () => {
    const core = await makeCore() // 30-day sessions, 7-day idle timeout, one session per user
    try {
      await core.auth.register({ email: 'ada@example.com', password: strongPassword }, req)
      const login = async () => {
        const result = await core.auth.login(
          { email: 'ada@example.com', password: strongPassword },
          req,
        )
        assert.equal(result.kind, 'tokens')
        return result.tokens
      }
      const first = await login()
      core.clock.advance(25 * DAY)
      const second = await login() // ends the first session (the `single` policy)
      core.clock.advance(6 * DAY + 1) // the first expired 30 days after it began: 1 day and 1 s ago

      const firstCookie = { kind: 'cookie', token: first.sessionToken ?? '' } as const
      await assert.rejects(core.auth.authenticate(firstCookie), refusal('session_revoked'))

      const logger = new RecordingLogger()
      const sweeper = new ExpiredRowSweeper(storesOf(core), core.clock, logger)
      try {
        // And the sign-up's email verification token, which expired 30 days ago.
        assert.deepEqual(await sweeper.sweep(), { sessions: 1, oneTimeTokens: 1, loginThrottle: 0 })
        assert.deepEqual(await sweeper.sweep(), { sessions: 0, oneTimeTokens: 0, loginThrottle: 0 })
      } finally {
        await sweeper.close()
      }
      assert.equal(await core.store.sessions.findById(first.session.id), null)
      assert.notEqual(await core.store.sessions.findById(second.session.id), null)
      await assert.rejects(core.auth.authenticate(firstCookie), refusal('not_authenticated'))
      await assert.rejects(
        core.auth.refresh(first.refreshToken, req),
        refusal('invalid_refresh_token'),
      )
      const principal = await core.auth.authenticate({
        kind: 'cookie',
        token: second.sessionToken ?? '',
      })
      assert.equal(principal.session.id, second.session.id)
      assert.deepEqual(
        logger.lines.map((line) => [line.level, line.message, line.fields]),
        [['info', 'expired rows deleted', { sessions: 1, oneTimeTokens: 1, loginThrottle: 0 }]],
      )
    } finally {
      await core.close()
    }
  })

  it('deletes in batches until none is left, on its own timer', { timeout: 30_000 }, async () => {
    const core = await makeCore()
    try {
      await userWithOldSessions(core, 'grace@example.com', 250)
      const stores = sweptWithCounting(core)
      const logger = new RecordingLogger()
      const logged = once(logger, 'line')
      const sweeper = new ExpiredRowSweeper(stores, core.clock, logger, {
        firstDelayMs: 0,
        batch: 100,
        pauseMs: 0,
      })
      // The sweeper's timer is unref'd, as in a server: this one keeps the test's loop alive.
      const keepAlive = setInterval(() => undefined, 1000)
      try {
        await logged
      } finally {
        clearInterval(keepAlive)
        await sweeper.close()
      }
      assert.deepEqual(logger.lines[0]?.fields, {
        sessions: 250,
        oneTimeTokens: 0,
        loginThrottle: 0,
      })
      assert.equal(stores.sessions.deletes, 3, '100 + 100 + 50: the short batch ends the sweep')
      assert.equal(await core.store.sessions.findById('old-249'), null)
    } finally {
      await core.close()
    }
  })

  it('stops after the delete under way when closed', async () => {
    const core = await makeCore()
    try {
      await userWithOldSessions(core, 'alan@example.com', 30)
      const stores = sweptWithCounting(core)
      const sweeper = new ExpiredRowSweeper(stores, core.clock, new RecordingLogger(), {
        firstDelayMs: 60_000,
        batch: 10,
        pauseMs: 50,
      })
      const sweeping = sweeper.sweep()
      await sweeper.close() // during the first pause
      assert.deepEqual(await sweeping, { sessions: 10, oneTimeTokens: 0, loginThrottle: 0 })
      assert.equal(stores.sessions.deletes, 1)
      assert.notEqual(await core.store.sessions.findById('old-29'), null)
    } finally {
      await core.close()
    }
  })

  it('deletes one-time tokens a day past their expiry, and throttle keys a day idle', async () => {
    const core = await makeCore() // 5 free attempts, then delays doubling from 1 s to 15 min
    try {
      const token = async (name: string, expiresInSeconds: number) => {
        const tokenHash = hashToken(name)
        const now = core.clock.now()
        await core.store.oneTimeTokens.issue({
          tokenHash,
          purpose: 'password_reset',
          userId: null,
          email: null,
          data: {},
          createdAt: now,
          expiresAt: new Date(now.getTime() + expiresInSeconds * 1000),
        })
        return () => core.store.oneTimeTokens.consume(tokenHash, 'password_reset', core.clock.now())
      }
      const old = await token('old', 3600)
      const wrong = (email: string) =>
        core.auth.login({ email, password: 'not-the-password-1234' }, req)
      // Seven wrong guesses at an unknown address: five free, a sixth that sets a 1 s delay, a
      // refused seventh.
      for (let i = 0; i < 6; i += 1) {
        await assert.rejects(wrong('ghost@example.com'), refusal('invalid_credentials'))
      }
      await assert.rejects(wrong('ghost@example.com'), refusal('rate_limited'))
      core.clock.advance(DAY + 3600 + 1) // the token expired a day and 1 s ago
      const recent = await token('recent', -60) // expired a minute ago: kept a day longer
      await assert.rejects(wrong('typo@example.com'), refusal('invalid_credentials'))

      assert.deepEqual(await old(), { kind: 'expired' })
      const sweeper = new ExpiredRowSweeper(storesOf(core), core.clock, new RecordingLogger())
      try {
        assert.deepEqual(await sweeper.sweep(), { sessions: 0, oneTimeTokens: 1, loginThrottle: 1 })
      } finally {
        await sweeper.close()
      }
      assert.equal(await old(), null, 'an unknown token now, as a mistyped one')
      assert.deepEqual(await recent(), { kind: 'expired' })
      // Forgotten: the free attempts again, then the first delay again (not the next doubling).
      for (let i = 0; i < 6; i += 1) {
        await assert.rejects(wrong('ghost@example.com'), refusal('invalid_credentials'))
      }
      await assert.rejects(wrong('ghost@example.com'), refusal('rate_limited'))
      // The key tried a moment ago is kept: its sixth attempt earns the delay.
      for (let i = 0; i < 5; i += 1) {
        await assert.rejects(wrong('typo@example.com'), refusal('invalid_credentials'))
      }
      await assert.rejects(wrong('typo@example.com'), refusal('rate_limited'))
    } finally {
      await core.close()
    }
  })
})
