import type { Logger } from '../ports.js'

// Enough for a burst far above the per-IP and per-address limits in front of it.
const DEFAULT_LIMIT = 512

/**
 * Work a request starts but does not wait for. `forgot` hands it the account lookup, the token
 * write and the audit event, so the 202 leaves before anything that depends on whether the
 * address is known has run (SEC-ENUM-03: same status, body and timing). setImmediate, not a
 * microtask: the reply is written first, even with a synchronous driver such as better-sqlite3.
 * A failure is logged, never thrown at a caller who has already been answered.
 */
export class BackgroundWork {
  readonly #logger: Logger
  readonly #limit: number
  readonly #running = new Set<Promise<void>>()

  constructor(logger: Logger, limit = DEFAULT_LIMIT) {
    this.#logger = logger
    this.#limit = limit
  }

  run(label: string, task: () => Promise<void>): void {
    if (this.#running.size >= this.#limit) {
      // A flood past the rate limits: dropping is safer than queueing without bound.
      this.#logger.warn({ task: label }, 'background work is full; task dropped')
      return
    }
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) =>
        this.#logger.error({ task: label, err: error }, 'background task failed'),
      )
      .finally(() => this.#running.delete(done))
    this.#running.add(done)
  }

  /** Resolves once everything started so far (and anything it started) has finished. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running])
  }
}
