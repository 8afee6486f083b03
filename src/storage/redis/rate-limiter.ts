import type { Redis } from 'ioredis'
import type { Logger, RateLimitDecision, RateLimiter } from '../../core/ports.js'
import { MemoryRateLimiter } from '../memory/rate-limiter.js'
import { closeRedisClient, defineScript, isReady, runScript } from './connection.js'

// INCR and the window's expiry in one atomic step: with INCR then PEXPIRE as two commands, a
// crash between them would leave a counter that never expires (a permanent lockout). The PTTL
// repair covers a key that lost its expiry anyway (e.g. written by hand).
const HIT = defineScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`)

function parseHit(reply: unknown): { count: number; ttlMs: number } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
    throw new TypeError('unexpected reply from the rate-limit script')
  }
  return { count: reply[0], ttlMs: reply[1] }
}

export interface RedisRateLimiterOptions {
  readonly logger: Logger
  /** Namespace for the counters, e.g. `latchkey:`. */
  readonly keyPrefix: string
}

/**
 * Fixed-window counters in Redis, shared by every node (SEC-RATE-06). While Redis cannot be
 * reached each node counts in its own memory instead, and says so in the log: limits then hold
 * per node (weaker by the number of nodes), never not at all. Counters live in Redis, so they
 * survive a node's restart.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: Redis
  readonly #options: RedisRateLimiterOptions
  readonly #fallback: MemoryRateLimiter
  #degraded = false

  constructor(client: Redis, options: RedisRateLimiterOptions) {
    this.#client = client
    this.#options = options
    this.#fallback = new MemoryRateLimiter()
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    if (isReady(this.#client)) {
      try {
        const windowMs = Math.max(1, Math.round(windowSeconds * 1000))
        const reply = await runScript(
          this.#client,
          HIT,
          [`${this.#options.keyPrefix}rl:${key}`],
          [windowMs],
        )
        const { count, ttlMs } = parseHit(reply)
        this.#setDegraded(false)
        const allowed = count <= limit
        return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ttlMs / 1000)) }
      } catch (error) {
        this.#setDegraded(true, error)
      }
    } else {
      this.#setDegraded(true)
    }
    return this.#fallback.hit(key, limit, windowSeconds)
  }

  /** True while limits are counted per process because Redis is away. */
  get degraded(): boolean {
    return this.#degraded
  }

  async close(): Promise<void> {
    await this.#fallback.close()
    await closeRedisClient(this.#client)
  }

  // Never fail open silently (SEC-RATE-06): one warning when counting moves into this process,
  // one line when it is shared again.
  #setDegraded(degraded: boolean, error?: unknown): void {
    if (degraded === this.#degraded) return
    this.#degraded = degraded
    if (degraded) {
      this.#options.logger.warn(
        { err: error instanceof Error ? error.message : undefined },
        'rate limits: Redis unavailable, counting in this process only until it is back',
      )
    } else {
      this.#options.logger.info({}, 'rate limits: shared through Redis again')
    }
  }
}
