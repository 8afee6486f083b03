// The Redis adapters for the composition root: `openRedisAdapters(REDIS_URL, { logger })` gives
// the shared rate limiter and the session cache (three connections: limiter, cache, and the
// cache's pub/sub subscriber). A Redis that is down at start does not stop the start: both
// adapters fall back (per-process limits with a warning; the database for sessions) and pick
// Redis up when it answers.
import type { Logger } from '../../core/ports.js'
import { openRedisClient, waitUntilReady } from './connection.js'
import { RedisRateLimiter } from './rate-limiter.js'
import { RedisSessionCache } from './session-cache.js'

export interface RedisAdapters {
  readonly rateLimiter: RedisRateLimiter
  readonly sessionCache: RedisSessionCache
}

export interface RedisAdapterOptions {
  readonly logger: Logger
  /** Namespace for every key and channel; nodes of one deployment must agree on it. */
  readonly keyPrefix?: string
  /** How long the start waits for a first connection before going on without one. */
  readonly readyTimeoutMs?: number
  readonly sessionCacheTtlMs?: number
  readonly localCacheTtlMs?: number
}

export async function openRedisAdapters(
  url: string,
  options: RedisAdapterOptions,
): Promise<RedisAdapters> {
  const { logger } = options
  const keyPrefix = options.keyPrefix ?? 'latchkey:'
  const limiterClient = openRedisClient(url, { name: 'latchkey-limiter', logger })
  const cacheClient = openRedisClient(url, { name: 'latchkey-cache', logger })
  const subscriber = openRedisClient(url, { name: 'latchkey-cache-sub', logger, subscriber: true })
  const rateLimiter = new RedisRateLimiter(limiterClient, { logger, keyPrefix })
  const sessionCache = new RedisSessionCache(cacheClient, subscriber, {
    logger,
    keyPrefix,
    ...(options.sessionCacheTtlMs === undefined ? {} : { ttlMs: options.sessionCacheTtlMs }),
    ...(options.localCacheTtlMs === undefined ? {} : { localTtlMs: options.localCacheTtlMs }),
  })
  const timeoutMs = options.readyTimeoutMs ?? 2_000
  const ready = await Promise.all(
    [limiterClient, cacheClient, subscriber].map((client) => waitUntilReady(client, timeoutMs)),
  )
  if (ready.includes(false)) {
    logger.error(
      {},
      'REDIS_URL is set but Redis does not answer; starting degraded (per-process rate limits, every session check reads the database) and reconnecting in the background',
    )
  }
  return { rateLimiter, sessionCache }
}
