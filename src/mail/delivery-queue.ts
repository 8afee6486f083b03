import { randomUUID } from 'node:crypto'
import type { Logger, Mailer, MailMessage } from '../core/ports.js'
import { isPermanent, reasonOf } from './mail-error.js'

/**
 * Waits before the 2nd…6th attempt: doubling from 15 s, about 7.75 minutes in all. Long enough to
 * ride out a mail server restart or greylisting (a 451 that asks to come back in a few minutes),
 * short enough that a reset link (30 min) still arrives while it works.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [15_000, 30_000, 60_000, 120_000, 240_000]

export interface DeliveryQueueOptions {
  /** One entry per retry; attempts = length + 1. Tests pass milliseconds. */
  readonly retryDelaysMs?: readonly number[]
  /** Mail waiting beyond this is dropped and logged: a dead server must not eat memory. */
  readonly maxPending?: number
  /** How long close() waits for sends already on the wire. */
  readonly closeGraceMs?: number
}

interface Job {
  readonly id: string
  /** The kind of mail (`reset_password`, …): what the log may say about it. */
  readonly label: string
  readonly message: MailMessage
  attempt: number
}

/**
 * Sends in the background with retries and exponential backoff. `enqueue` returns at once, so a
 * request never waits on the mail server nor fails because of it. The log names the mail by kind
 * and id only: never the recipient's link, token or body (SEC-AUDIT-02).
 */
export class DeliveryQueue {
  readonly #mailer: Mailer
  readonly #logger: Logger
  readonly #delays: readonly number[]
  readonly #maxPending: number
  readonly #closeGraceMs: number
  readonly #timers = new Map<NodeJS.Timeout, Job>()
  readonly #sending = new Set<Promise<void>>()
  #pending = 0
  #closed = false
  #idle: (() => void)[] = []

  constructor(mailer: Mailer, logger: Logger, options: DeliveryQueueOptions = {}) {
    this.#mailer = mailer
    this.#logger = logger
    this.#delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
    this.#maxPending = options.maxPending ?? 1000
    this.#closeGraceMs = options.closeGraceMs ?? 2000
  }

  enqueue(message: MailMessage, label: string): void {
    if (this.#closed || this.#pending >= this.#maxPending) {
      this.#logger.error(
        { mail: label, pending: this.#pending },
        'mail dropped: the queue is closed or full',
      )
      return
    }
    this.#pending += 1
    this.#schedule({ id: randomUUID(), label, message, attempt: 1 }, 0)
  }

  /** Resolves when nothing is waiting or being sent (tests; a graceful stop). */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve()
    return new Promise((resolve) => {
      // Retry timers are unref'd; someone waiting for them keeps the process alive meanwhile.
      const hold = setInterval(() => undefined, 60_000)
      this.#idle.push(() => {
        clearInterval(hold)
        resolve()
      })
    })
  }

  /** Stops retrying; mail still waiting for a retry is dropped and counted in the log. */
  async close(): Promise<void> {
    this.#closed = true
    for (const [timer, job] of this.#timers) {
      clearTimeout(timer)
      this.#logger.error(
        { mail: job.label, mail_id: job.id, attempt: job.attempt },
        'mail dropped at shutdown',
      )
      this.#finish()
    }
    this.#timers.clear()
    const grace = new Promise<void>((resolve) => setTimeout(resolve, this.#closeGraceMs).unref())
    await Promise.race([Promise.allSettled([...this.#sending]), grace])
  }

  #schedule(job: Job, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      const sending = this.#attempt(job).finally(() => this.#sending.delete(sending))
      this.#sending.add(sending)
    }, delayMs)
    // A retry waiting minutes must not keep the process alive on its own.
    timer.unref()
    this.#timers.set(timer, job)
  }

  async #attempt(job: Job): Promise<void> {
    const facts = { mail: job.label, mail_id: job.id, attempt: job.attempt }
    try {
      await this.#mailer.send(job.message)
      this.#logger.info(facts, 'mail delivered')
      this.#finish()
      return
    } catch (error) {
      const reason = reasonOf(error)
      const delay = this.#delays[job.attempt - 1]
      if (isPermanent(error) || delay === undefined || this.#closed) {
        this.#logger.error({ ...facts, reason }, 'mail not delivered; giving up')
        this.#finish()
        return
      }
      // ±10% jitter, so mail that failed together does not all come back at the same instant.
      const wait = Math.round(delay * (0.9 + Math.random() * 0.2))
      this.#logger.warn({ ...facts, reason, retry_in_ms: wait }, 'mail delivery failed; will retry')
      job.attempt += 1
      this.#schedule(job, wait)
    }
  }

  #finish(): void {
    this.#pending -= 1
    if (this.#pending > 0) return
    const waiting = this.#idle
    this.#idle = []
    for (const resolve of waiting) resolve()
  }
}
