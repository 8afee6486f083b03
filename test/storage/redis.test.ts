// The Redis adapters on a real Redis: the RateLimiter conformance suite, the session cache's
// contract (fill fence, pub/sub invalidation between two nodes, touch) and what each does when
// Redis cannot be reached (fall back, never allow).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import type { CachedSession, Logger, SessionCache } from '../../src/core/ports.ts'
import { openRedisAdapters, type RedisAdapters } from '../../src/storage/redis/open-redis.ts'
import { redisUrl, storeSkipReason } from '../helpers/services.ts'
import { describeRateLimiterConformance } from './rate-limiter-conformance.ts'

const skip = await storeSkipReason('redis')
// Nothing listens here: a Redis that is down.
const DEAD_REDIS = 'redis://127.0.0.1:1'

export interface CapturedLogger extends Logger {
  readonly lines: { level: string; msg: string }[]
}

function captureLogger(): CapturedLogger {
  const lines: { level: string; msg: string }[] = []
  return {
    lines,
    info: (_obj, msg) => lines.push({ level: 'info', msg }),
    warn: (_obj, msg) => lines.push({ level: 'warn', msg }),
    error: (_obj, msg) => lines.push({ level: 'error', msg }),
  }
}

const opened: RedisAdapters[] = []
const prefixes: string[] = []
after(async () => {
  await Promise.all(opened.flatMap((a) => [a.rateLimiter.close(), a.sessionCache.close()]))
  if (skip !== false) return
  // The fill epoch has no TTL: remove the ones these tests made (the rest expire by themselves).
  const redis = new Redis(redisUrl())
  await redis.del(...prefixes.map((prefix) => `${prefix}sc:epoch`), 'none')
  await redis.quit()
})

/** One node's adapters; nodes of one deployment share `prefix`. */
async function openNode(
  prefix: string,
  url = redisUrl(),
  logger: Logger = captureLogger(),
): Promise<RedisAdapters> {
  const adapters = await openRedisAdapters(url, {
    logger,
    keyPrefix: prefix,
    readyTimeoutMs: url === DEAD_REDIS ? 200 : 3_000,
  })
  opened.push(adapters)
  return adapters
}

function newPrefix(): string {
  const prefix = `test-${randomBytes(5).toString('hex')}:`
  prefixes.push(prefix)
  return prefix
}

describeRateLimiterConformance('redis', async () => (await openNode(newPrefix())).rateLimiter, {
  skip,
})

interface Proxy {
  readonly url: string
  /** Drops every connection and refuses new ones: a network partition from this node's side. */
  cut(): void
  restore(): Promise<void>
  close(): Promise<void>
}

/** A TCP relay to Redis that a test can cut and restore. */
async function openProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  const relay = (client: Socket): void => {
    const upstream = connect(Number(port || 6379), hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => socket.destroy())
    }
    client.pipe(upstream).pipe(client)
  }
  let server: Server = createServer(relay)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address !== 'object') throw new Error('no proxy port')
  const cut = (): void => {
    server.close()
    for (const socket of sockets) socket.destroy()
  }
  return {
    url: `redis://127.0.0.1:${address.port}`,
    cut,
    async restore() {
      server = createServer(relay)
      server.listen(address.port, '127.0.0.1')
      await once(server, 'listening')
    },
    async close() {
      cut()
    },
  }
}

function sampleEntry(sessionId: string, userId: string, name = 'Ada'): CachedSession {
  const now = new Date('2026-03-01T12:00:00Z')
  return {
    session: {
      id: sessionId,
      userId,
      secretHash: new Uint8Array(randomBytes(32)),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
      ip: '203.0.113.9',
      userAgent: 'test',
      revokedAt: null,
      revokeReason: null,
    },
    user: {
      id: userId,
      email: `${userId}@example.com`,
      username: null,
      name,
      role: 'user',
      emailVerified: true,
      mfaEnabled: false,
      disabled: false,
      profile: { company: 'Analytical Engines', age: 36.5, newsletter: true, note: null },
      createdAt: now,
      updatedAt: now,
    },
  }
}

async function fill(cache: SessionCache, entry: CachedSession): Promise<void> {
  const lookup = await cache.get(entry.session.id)
  assert.equal(lookup.entry, null)
  assert.ok(
    lookup.ticket !== null && lookup.ticket !== undefined,
    'a miss with Redis up carries a ticket',
  )
  await cache.set(entry, lookup.ticket)
}

/** Polls until `check` holds (pub/sub is asynchronous), failing after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not true within ${ms} ms`)
    await sleep(5)
  }
}

describe('RedisRateLimiter', { skip }, () => {
  it('shares one count between nodes (SEC-RATE-06)', async () => {
    const prefix = newPrefix()
    const [a, b] = await Promise.all([openNode(prefix), openNode(prefix)])
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a : b).rateLimiter.hit('ip:login:60:198.51.100.7', 10, 60),
      ),
    )
    assert.equal(decisions.filter((d) => d.allowed).length, 10)
  })

  it('falls back to per-process counting, with a warning, when Redis is down: never open', async () => {
    const logger = captureLogger()
    const node = await openNode(newPrefix(), DEAD_REDIS, logger)
    const decisions = []
    for (let i = 0; i < 5; i += 1)
      decisions.push(await node.rateLimiter.hit('ip:login:60:x', 3, 60))
    assert.deepEqual(
      decisions.map((d) => d.allowed),
      [true, true, true, false, false],
    )
    assert.equal(node.rateLimiter.degraded, true)
    assert.ok(
      logger.lines.some((l) => l.level === 'warn' && /counting in this process/.test(l.msg)),
    )
  })
})

describe('RedisSessionCache', { skip }, () => {
  it('misses with a ticket, then serves the entry it was given, intact, on every node', async () => {
    const prefix = newPrefix()
    const [a, b] = await Promise.all([openNode(prefix), openNode(prefix)])
    const entry = sampleEntry('s-1', 'u-1')
    await fill(a.sessionCache, entry)
    for (const node of [a, b]) {
      const lookup = await node.sessionCache.get('s-1')
      assert.deepEqual(lookup.entry, entry)
      assert.ok(lookup.entry?.session.secretHash instanceof Uint8Array)
      assert.ok(lookup.entry?.session.expiresAt instanceof Date)
    }
  })

  it('drops a fill whose ticket predates an invalidation (a slow reader cannot put back a revoked session)', async () => {
    const prefix = newPrefix()
    const [a, b] = await Promise.all([openNode(prefix), openNode(prefix)])
    const entry = sampleEntry('s-2', 'u-2')
    const lookup = await a.sessionCache.get('s-2')
    assert.ok(lookup.entry === null && lookup.ticket !== null)
    // Another node revokes it between our database read and our fill.
    await b.sessionCache.invalidate({ sessionIds: ['s-2'], userIds: [] })
    await a.sessionCache.set(entry, lookup.ticket)
    assert.equal((await a.sessionCache.get('s-2')).entry, null)
    assert.equal((await b.sessionCache.get('s-2')).entry, null)
  })

  it('an invalidation on one node empties every node, local layers included', async () => {
    const prefix = newPrefix()
    const [a, b] = await Promise.all([openNode(prefix), openNode(prefix)])
    const one = sampleEntry('s-3', 'u-3')
    const two = sampleEntry('s-4', 'u-3')
    const other = sampleEntry('s-5', 'u-5')
    for (const entry of [one, two, other]) await fill(a.sessionCache, entry)
    // Warm b's local layer too.
    for (const id of ['s-3', 's-4', 's-5'])
      assert.notEqual((await b.sessionCache.get(id)).entry, null)

    await a.sessionCache.invalidate({ sessionIds: ['s-3'], userIds: [] })
    await eventually(async () => (await b.sessionCache.get('s-3')).entry === null)
    assert.notEqual((await b.sessionCache.get('s-4')).entry, null, 'only the named session goes')

    await b.sessionCache.invalidate({ sessionIds: [], userIds: ['u-3'] })
    await eventually(async () => (await a.sessionCache.get('s-4')).entry === null)
    assert.notEqual((await a.sessionCache.get('s-5')).entry, null, "another user's session stays")
  })

  it('touch moves lastSeenAt forward on a cached entry, never back, and never creates one', async () => {
    const prefix = newPrefix()
    const [a, b] = await Promise.all([openNode(prefix), openNode(prefix)])
    const entry = sampleEntry('s-6', 'u-6')
    await fill(a.sessionCache, entry)
    const later = new Date(entry.session.lastSeenAt.getTime() + 120_000)
    await a.sessionCache.touch('s-6', later)
    assert.deepEqual((await b.sessionCache.get('s-6')).entry?.session.lastSeenAt, later)
    await a.sessionCache.touch('s-6', entry.session.lastSeenAt)
    assert.deepEqual((await b.sessionCache.get('s-6')).entry?.session.lastSeenAt, later)
    await a.sessionCache.touch('s-unknown', later)
    assert.equal((await b.sessionCache.get('s-unknown')).entry, null)
  })

  it('a node cut off from Redis keeps its invalidation, refuses the entry meanwhile, and delivers it on reconnect', async () => {
    const prefix = newPrefix()
    const proxy = await openProxy(redisUrl())
    try {
      const a = await openNode(prefix)
      const b = await openNode(prefix, proxy.url)
      const entry = sampleEntry('s-8', 'u-8')
      await fill(a.sessionCache, entry)
      assert.notEqual((await b.sessionCache.get('s-8')).entry, null)
      proxy.cut()
      await eventually(async () => !b.sessionCache.isConnected)
      await b.sessionCache.invalidate({ sessionIds: ['s-8'], userIds: [] })
      assert.equal(b.sessionCache.pendingInvalidations, 1)
      assert.equal(
        (await b.sessionCache.get('s-8')).entry,
        null,
        'the cut-off node does not serve it',
      )
      // The partition window: Redis still holds the entry for the other nodes, until B is back
      // (or, at the latest, until the entry's TTL runs out).
      assert.notEqual((await a.sessionCache.get('s-8')).entry, null)
      await proxy.restore()
      await eventually(async () => b.sessionCache.pendingInvalidations === 0, 5_000)
      await eventually(async () => (await a.sessionCache.get('s-8')).entry === null)
    } finally {
      await proxy.close()
    }
  })

  it('with Redis down: misses without a ticket, keeps the invalidation, never rejects', async () => {
    const node = await openNode(newPrefix(), DEAD_REDIS)
    const started = Date.now()
    const lookup = await node.sessionCache.get('s-7')
    assert.deepEqual(lookup, { entry: null, ticket: null })
    await node.sessionCache.set(sampleEntry('s-7', 'u-7'), '0:0')
    await node.sessionCache.invalidate({ sessionIds: ['s-7'], userIds: ['u-7'] })
    assert.equal(node.sessionCache.pendingInvalidations, 2)
    assert.ok(Date.now() - started < 1_000, 'fails fast rather than waiting for Redis')
  })
})
