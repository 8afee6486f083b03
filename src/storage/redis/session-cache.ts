import type { Redis } from 'ioredis'
import type {
  CachedSession,
  Logger,
  SessionCache,
  SessionCacheLookup,
  SessionInvalidation,
} from '../../core/ports.js'
import { closeRedisClient, isReady, runScript } from './connection.js'
import { LocalSessionCache } from '../cache/local-session-cache.js'
import { CODEC_VERSION, decodeSession, encodeSession } from './session-codec.js'
import {
  FILL,
  INVALIDATE,
  parseInvalidation,
  parseReadReply,
  READ,
  TOUCH,
} from './session-scripts.js'

export interface RedisSessionCacheOptions {
  readonly logger: Logger
  /** Namespace for keys and the channel, e.g. `latchkey:`. */
  readonly keyPrefix: string
  /**
   * Life of a Redis entry. Also the bound on how long a revocation that could not reach Redis
   * (this node cut off from it while others are not) may go unseen by the other nodes.
   */
  readonly ttlMs?: number
  /** Life of an in-process entry: the safety net should a pub/sub message ever be missed. */
  readonly localTtlMs?: number
  readonly localMaxEntries?: number
}

const MISS_NO_FILL: SessionCacheLookup = { entry: null, ticket: null }
// Keeps one script call's argument list short.
const INVALIDATE_CHUNK = 500

/**
 * Redis as the shared session-status cache, with a small LRU in each process in front of it.
 *
 * - An invalidation deletes the Redis entries, bumps the fill epoch and publishes the change in
 *   one script; every node's subscriber drops its local entries when the message arrives. The
 *   revoking call awaits all of that, so once logout has answered no node serves the session.
 * - The local LRU is used only while the subscription is live: when the subscriber's connection
 *   drops, the LRU is cleared and bypassed until it has subscribed again (messages sent
 *   meanwhile are lost, so nothing learned before can be trusted).
 * - While Redis cannot be reached, lookups miss (the store decides) and invalidations are kept
 *   and delivered on reconnect; until then this node does not serve the entries they name.
 */
export class RedisSessionCache implements SessionCache {
  readonly #client: Redis
  readonly #subscriber: Redis
  readonly #logger: Logger
  readonly #local: LocalSessionCache
  readonly #ttlMs: number
  readonly #keys: { epoch: string; session: string; user: string; channel: string }
  // id → when it was first kept; dropped after 2 × TTL, when every Redis entry filled before the
  // revocation has expired on its own.
  readonly #pendingSessions = new Map<string, number>()
  readonly #pendingUsers = new Map<string, number>()
  #subscribed = false
  #closed = false
  #warnedUndelivered = false

  constructor(client: Redis, subscriber: Redis, options: RedisSessionCacheOptions) {
    this.#client = client
    this.#subscriber = subscriber
    this.#logger = options.logger
    this.#ttlMs = options.ttlMs ?? 30_000
    this.#local = new LocalSessionCache(
      options.localTtlMs ?? 5_000,
      options.localMaxEntries ?? 10_000,
    )
    const base = `${options.keyPrefix}sc:`
    this.#keys = {
      epoch: `${base}epoch`,
      session: `${base}${CODEC_VERSION}:s:`,
      user: `${base}${CODEC_VERSION}:u:`,
      channel: `${base}invalidate`,
    }
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.#keys.channel) this.#onMessage(message)
    })
    subscriber.on('ready', () => void this.#subscribe())
    subscriber.on('close', () => this.#unsubscribed())
    if (isReady(subscriber)) void this.#subscribe()
    client.on('ready', () => void this.#deliverPending())
  }

  async get(sessionId: string): Promise<SessionCacheLookup> {
    const nowMs = Date.now()
    this.#prunePending(nowMs)
    if (this.#subscribed && this.#local.get(sessionId, nowMs) !== null) {
      // A local hit would answer without yielding to the event loop. An invalidation that
      // reached our subscriber socket together with this request must win, so let the rest of
      // this poll round (that socket included) run first, then look again.
      await new Promise((resolve) => setImmediate(resolve))
      const local = this.#subscribed ? this.#local.get(sessionId, Date.now()) : null
      if (local !== null && !this.#isPending(local)) return { entry: local }
    }
    const generation = this.#local.generation
    if (!isReady(this.#client)) return MISS_NO_FILL
    let reply
    try {
      reply = parseReadReply(
        await runScript(this.#client, READ, [this.#sessionKey(sessionId), this.#keys.epoch], []),
      )
    } catch {
      return MISS_NO_FILL // Redis failed mid-call: the store answers (the connection logs it)
    }
    if (reply.data !== null && reply.seen !== null) {
      const entry = decodeSession(reply.data, Number(reply.seen))
      if (entry !== null && entry.session.id === sessionId && !this.#isPending(entry)) {
        if (this.#subscribed) this.#local.set(entry, generation, nowMs)
        return { entry }
      }
    }
    return { entry: null, ticket: `${generation}:${reply.epoch}` }
  }

  async set(entry: CachedSession, ticket: string): Promise<void> {
    const [generation, epoch] = ticket.split(':')
    if (generation === undefined || epoch === undefined || !isReady(this.#client)) return
    const { session, user } = entry
    try {
      const stored = await runScript(
        this.#client,
        FILL,
        [this.#keys.epoch, this.#sessionKey(session.id), `${this.#keys.user}${user.id}`],
        [epoch, encodeSession(entry), session.lastSeenAt.getTime(), this.#ttlMs, session.id],
      )
      if (stored === 1 && this.#subscribed) this.#local.set(entry, Number(generation), Date.now())
    } catch {
      // Best effort by contract: an entry not stored is a later miss, never a wrong answer.
    }
  }

  async touch(sessionId: string, lastSeenAt: Date): Promise<void> {
    this.#local.touch(sessionId, lastSeenAt)
    if (!isReady(this.#client)) return
    try {
      await runScript(this.#client, TOUCH, [this.#sessionKey(sessionId)], [lastSeenAt.getTime()])
    } catch {
      // Best effort: a stale lastSeenAt only makes a node touch the store once more.
    }
  }

  async invalidate(change: SessionInvalidation): Promise<void> {
    this.#local.invalidate(change.sessionIds, change.userIds)
    const nowMs = Date.now()
    for (const id of change.sessionIds) this.#pendingSessions.set(id, nowMs)
    for (const id of change.userIds) this.#pendingUsers.set(id, nowMs)
    await this.#deliverPending()
  }

  /** True while the command connection to Redis is up. */
  get isConnected(): boolean {
    return isReady(this.#client)
  }

  /** Sessions and users whose invalidation has not reached Redis yet (for tests and logs). */
  get pendingInvalidations(): number {
    return this.#pendingSessions.size + this.#pendingUsers.size
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#subscribed = false
    this.#local.clear()
    await Promise.all([closeRedisClient(this.#client), closeRedisClient(this.#subscriber)])
  }

  #sessionKey(sessionId: string): string {
    return `${this.#keys.session}${sessionId}`
  }

  #isPending(entry: CachedSession): boolean {
    return this.#pendingSessions.has(entry.session.id) || this.#pendingUsers.has(entry.user.id)
  }

  #prunePending(nowMs: number): void {
    const horizon = nowMs - 2 * this.#ttlMs
    for (const pending of [this.#pendingSessions, this.#pendingUsers]) {
      for (const [id, since] of pending) if (since < horizon) pending.delete(id)
    }
  }

  async #deliverPending(): Promise<void> {
    if (this.#pendingSessions.size + this.#pendingUsers.size === 0) return
    if (!isReady(this.#client)) {
      this.#warnUndelivered()
      return
    }
    const sessionIds = [...this.#pendingSessions.keys()]
    const userIds = [...this.#pendingUsers.keys()]
    try {
      for (let i = 0; i < Math.max(sessionIds.length, userIds.length); i += INVALIDATE_CHUNK) {
        const s = sessionIds.slice(i, i + INVALIDATE_CHUNK)
        const u = userIds.slice(i, i + INVALIDATE_CHUNK)
        const { session, user, channel } = this.#keys
        const message = JSON.stringify({ s, u })
        await runScript(
          this.#client,
          INVALIDATE,
          [this.#keys.epoch],
          [session, user, channel, message, s.length, ...s, ...u],
        )
        for (const id of s) this.#pendingSessions.delete(id)
        for (const id of u) this.#pendingUsers.delete(id)
      }
    } catch {
      this.#warnUndelivered()
      return
    }
    this.#warnedUndelivered = false
  }

  // Once per outage, not once per logout.
  #warnUndelivered(): void {
    if (this.#warnedUndelivered) return
    this.#warnedUndelivered = true
    this.#logger.warn(
      { pending: this.pendingInvalidations },
      'session cache: Redis unavailable; invalidations kept and sent when it is back, sessions checked against the database meanwhile',
    )
  }

  #onMessage(message: string): void {
    const change = parseInvalidation(message)
    // Something on our channel we cannot read: forgetting everything is the safe reading.
    if (change === null) this.#local.clear()
    else this.#local.invalidate(change.s, change.u)
  }

  async #subscribe(): Promise<void> {
    if (this.#closed) return
    try {
      await this.#subscriber.subscribe(this.#keys.channel)
    } catch {
      return // the connection dropped again; 'ready' brings us back here
    }
    // Anything cached before this point may have missed a message: start empty.
    this.#local.clear()
    this.#subscribed = true
  }

  #unsubscribed(): void {
    this.#subscribed = false
    this.#local.clear()
  }
}
