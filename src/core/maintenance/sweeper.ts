import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock, Logger } from '../ports.js'
import { expiredRows, type ExpiredRowKind, type SweptStores } from './expired-rows.js'

export interface SweeperOptions {
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

/** Rows deleted by one sweep, by table. */
export type SweepCounts = Record<ExpiredRowKind, number>

/**
 * Deletes, in the background, the rows that would otherwise pile up for ever (expired-rows.ts
 * says which): every login writes a session and, under the default `single` policy, ends the
 * previous one; every social or passkey login and every MFA step writes a one-time token; every
 * identifier tried writes a throttle key. The timer is unref'd: it never keeps a process (a CLI
 * command) alive.
 */
export class ExpiredRowSweeper {
  readonly #tables: ReturnType<typeof expiredRows>
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #intervalMs: number
  readonly #batch: number
  readonly #pauseMs: number
  #timer: NodeJS.Timeout | null = null
  #running: Promise<SweepCounts> | null = null
  #closed = false

  constructor(stores: SweptStores, clock: Clock, logger: Logger, options: SweeperOptions = {}) {
    this.#tables = expiredRows(stores)
    this.#clock = clock
    this.#logger = logger
    this.#intervalMs = options.intervalMs ?? 10 * 60_000
    this.#batch = options.batch ?? 100
    this.#pauseMs = options.pauseMs ?? 20
    this.#schedule(options.firstDelayMs ?? 60_000 + Math.floor(Math.random() * 60_000))
  }

  /** One sweep now (or the one under way): how many rows it deleted. */
  sweep(): Promise<SweepCounts> {
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
          this.#logger.warn({ err: error }, 'expired row sweep failed'),
        )
        .finally(() => this.#schedule(this.#intervalMs))
    }, delayMs)
    this.#timer.unref()
  }

  async #sweepAll(): Promise<SweepCounts> {
    const now = this.#clock.now()
    const counts: SweepCounts = { sessions: 0, oneTimeTokens: 0, loginThrottle: 0 }
    for (const table of this.#tables) {
      while (!this.#closed) {
        const count = await table.deleteSome(now, this.#batch)
        counts[table.kind] += count
        if (count < this.#batch) break
        await sleep(this.#pauseMs)
      }
    }
    if (Object.values(counts).some((count) => count > 0)) {
      this.#logger.info(counts, 'expired rows deleted')
    }
    return counts
  }
}
