// The background deletion of sessions long past their absolute expiry
// (src/core/sessions/session-sweeper.ts), over the real SQLite store and the real login path.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import { AuthError } from '../../src/core/errors.ts'
import type { Logger, SessionStore } from '../../src/core/ports.ts'
import { SessionSweeper } from '../../src/core/sessions/session-sweeper.ts'
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

describe('session sweeper', () => {
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

      const refusal = (code: string) => (error: unknown) =>
        error instanceof AuthError && error.code === code
      const firstCookie = { kind: 'cookie', token: first.sessionToken ?? '' } as const
      await assert.rejects(core.auth.authenticate(firstCookie), refusal('session_revoked'))

      const logger = new RecordingLogger()
      const sweeper = new SessionSweeper(core.store.sessions, core.clock, logger)
      try {
        assert.equal(await sweeper.sweep(), 1)
        assert.equal(await sweeper.sweep(), 0)
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
        [['info', 'expired sessions deleted', { deleted: 1 }]],
      )
    } finally {
      await core.close()
    }
  })

  it('deletes in batches until none is left, on its own timer', { timeout: 30_000 }, async () => {
    const core = await makeCore()
    try {
      await userWithOldSessions(core, 'grace@example.com', 250)
      const sessions = counting(core.store.sessions)
      const logger = new RecordingLogger()
      const logged = once(logger, 'line')
      const sweeper = new SessionSweeper(sessions, core.clock, logger, {
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
      assert.deepEqual(logger.lines[0]?.fields, { deleted: 250 })
      assert.equal(sessions.deletes, 3, '100 + 100 + 50: the short batch ends the sweep')
      assert.equal(await core.store.sessions.findById('old-249'), null)
    } finally {
      await core.close()
    }
  })

  it('stops after the delete under way when closed', async () => {
    const core = await makeCore()
    try {
      await userWithOldSessions(core, 'alan@example.com', 30)
      const sessions = counting(core.store.sessions)
      const sweeper = new SessionSweeper(sessions, core.clock, new RecordingLogger(), {
        firstDelayMs: 60_000,
        batch: 10,
        pauseMs: 50,
      })
      const sweeping = sweeper.sweep()
      await sweeper.close() // during the first pause
      assert.equal(await sweeping, 10)
      assert.equal(sessions.deletes, 1)
      assert.notEqual(await core.store.sessions.findById('old-29'), null)
    } finally {
      await core.close()
    }
  })
})
