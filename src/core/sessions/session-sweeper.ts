import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock, Logger, SessionStore } from '../ports.js'

/**
 * How long a session row outlives its absolute expiry. Until then a request that still carries
 * it is told its session has ended (`session_revoked`), after it that it is not signed in
 * (`not_authenticated`); the audit log keeps the session's story after the row is gone.
 */
export const SESSION_RETENTION_MS = 24 * 60 * 60 * 1000

export interface SessionSweeperOptions {
  /** Between sweeps (default 10 minutes). */
  readonly intervalMs?: number
  /** Before the first sweep (default 1 to 2 minutes, spread so cluster workers do not align). */
  readonly firstDelayMs?: number
  /**
   * Rows per delete. Small, because on SQLite each delete runs on the event loop: 100 sessions
   * with their refresh tokens take a few milliseconds there.
   */
  readonly batch?: number
  /** Rest between deletes, so that requests queued behind the connection go first. */
  readonly pauseMs?: number
}

/**
 * Deletes sessions (and, by their foreign key, their refresh tokens) a day past their absolute
 * expiry, in the background. Every login writes a session and, under the default `single`
 * policy, ends the previous one, so without this the table and its indexes grow with every login
 * ever made. Revoked and idle sessions go when their absolute expiry has passed too: their rows
 * are bounded by `SESSION_MAX_AGE` of logins, at the cost of no index maintained on revocation.
 * The timer is unref'd: it never keeps a process (a CLI command) alive.
 */
export class SessionSweeper {
  readonly #sessions: SessionStore
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #intervalMs: number
  readonly #batch: number
  readonly #pauseMs: number
  #timer: NodeJS.Timeout | null = null
  #running: Promise<number> | null = null
  #closed = false

  constructor(
    sessions: SessionStore,
    clock: Clock,
    logger: Logger,
    options: SessionSweeperOptions = {},
  ) {
    this.#sessions = sessions
    this.#clock = clock
    this.#logger = logger
    this.#intervalMs = options.intervalMs ?? 10 * 60_000
    this.#batch = options.batch ?? 100
    this.#pauseMs = options.pauseMs ?? 20
    this.#schedule(options.firstDelayMs ?? 60_000 + Math.floor(Math.random() * 60_000))
  }

  /** One sweep now (or the one under way): how many sessions it deleted. */
  sweep(): Promise<number> {
    this.#running ??= this.#sweepAll().finally(() => {
      this.#running = null
    })
    return this.#running
  }

  /** Stops the timer and waits for a sweep under way, which stops after its current delete. */
  async close(): Promise<void> {
    this.#closed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return
    this.#timer = setTimeout(() => {
      void this.sweep()
        .catch((error: unknown) =>
          // The database may be away for a moment; the next sweep tries again.
          this.#logger.warn({ err: error }, 'session sweep failed'),
        )
        .finally(() => this.#schedule(this.#intervalMs))
    }, delayMs)
    this.#timer.unref()
  }

  async #sweepAll(): Promise<number> {
    const before = new Date(this.#clock.now().getTime() - SESSION_RETENTION_MS)
    let deleted = 0
    while (!this.#closed) {
      const count = await this.#sessions.deleteExpired(before, this.#batch)
      deleted += count
      if (count < this.#batch) break
      await sleep(this.#pauseMs)
    }
    if (deleted > 0) this.#logger.info({ deleted }, 'expired sessions deleted')
    return deleted
  }
}
