// One ioredis client as the adapters need it: fail fast while Redis is away (no offline queue,
// bounded commands) so callers fall back at once instead of waiting, reconnect by itself, and
// say so in the log once per outage rather than once per request.
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../../core/ports.js'

// A cache or limiter answer slower than this is worth less than the fallback it delays.
const COMMAND_TIMEOUT_MS = 500
const CONNECT_TIMEOUT_MS = 2_000
const MAX_RECONNECT_DELAY_MS = 1_000

export interface RedisClientOptions {
  /** Shown in the log and in Redis's CLIENT LIST (`latchkey-limiter`, …). */
  readonly name: string
  readonly logger: Logger
  /** A pub/sub connection resubscribes itself after each reconnect (see session-cache.ts). */
  readonly subscriber?: boolean
}

/** A connected-or-connecting client; it never throws from a background reconnect. */
export function openRedisClient(url: string, options: RedisClientOptions): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: options.name,
    // Commands issued while disconnected fail at once; queued they would pile up behind an outage.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), MAX_RECONNECT_DELAY_MS),
    autoResubscribe: options.subscriber !== true,
  })
  let down = false
  // Without an 'error' listener an unreachable Redis would crash the process (EventEmitter).
  client.on('error', (error: Error) => {
    if (down) return
    down = true
    // Only the message: the URL may carry a password.
    options.logger.warn(
      { redis: options.name, err: error.message },
      'Redis unreachable; falling back (database for sessions, per-process rate limits) until it is back',
    )
  })
  client.on('ready', () => {
    if (!down) return
    down = false
    options.logger.info({ redis: options.name }, 'Redis reachable again')
  })
  // The first attempt's failure is reported through 'error' above; reconnects follow by themselves.
  client.connect().catch(() => undefined)
  return client
}

export function isReady(client: Redis): boolean {
  return client.status === 'ready'
}

/** Resolves true once the client is ready, or false after `timeoutMs`. */
export function waitUntilReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (isReady(client)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer)
      client.off('ready', onReady)
      resolve(ready)
    }
    const onReady = (): void => done(true)
    const timer = setTimeout(() => done(false), timeoutMs)
    client.on('ready', onReady)
  })
}

/** QUIT when connected, else drop the socket; never waits on an absent server. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return
  try {
    if (isReady(client)) {
      await client.quit()
      return
    }
  } catch {
    // QUIT failed (Redis went away meanwhile): disconnecting below is all that is left to do.
  }
  client.disconnect()
}

export interface RedisScript {
  readonly lua: string
  readonly sha: string
}

export function defineScript(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') }
}

/**
 * EVALSHA, falling back to EVAL when the script is not in Redis's cache (first use, or Redis
 * restarted): the script text travels once per Redis lifetime, not on every call.
 */
export async function runScript(
  client: Redis,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
    return client.eval(script.lua, keys.length, ...keys, ...args)
  }
}
