import type { RateLimitDecision, RateLimiter } from '../../core/ports.js'

interface Window {
  count: number
  resetAt: number
}

/**
 * Fixed-window counters in this process. Right for one node; several nodes share limits through
 * the Redis limiter instead. Expired windows are swept so memory stays bounded by active keys.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, Window>()
  readonly #now: () => number
  readonly #sweep: NodeJS.Timeout

  constructor(now: () => number = Date.now) {
    this.#now = now
    this.#sweep = setInterval(() => this.#sweepExpired(), 60_000)
    this.#sweep.unref()
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const now = this.#now()
    let window = this.#windows.get(key)
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 }
      this.#windows.set(key, window)
    }
    window.count += 1
    const allowed = window.count <= limit
    return { allowed, retryAfterSeconds: allowed ? 0 : Math.ceil((window.resetAt - now) / 1000) }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep)
    this.#windows.clear()
  }

  #sweepExpired(): void {
    const now = this.#now()
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key)
  }
}
