// Redis stopped for a few seconds under load, under two real nodes on PostgreSQL. While it is
// away: session checks fall back to the database (no 5xx), a session revoked meanwhile is refused
// at once by both nodes (never "allow"), and rate limits move into each process with a warning
// (SEC-RATE-06). Once it is back, both nodes use it again by themselves.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { faultSkipReason, startRedis, stopRedis } from '../helpers/faults.ts'
import {
  call,
  login,
  register,
  startServer,
  type ServerProcess,
} from '../helpers/server-process.ts'
import { redisUrl, storeSkipReason } from '../helpers/services.ts'
import { createPostgresSchema } from './postgres-schema.ts'
import { me, REQUEST_BOUND_MS, startLoad } from './load.ts'

const skip =
  faultSkipReason() || (await storeSkipReason('postgres')) || (await storeSkipReason('redis'))

after(async () => {
  if (skip === false) await startRedis()
})

const email = (): string => `redis-fault-${randomBytes(5).toString('hex')}@example.com`

async function meStatus(node: ServerProcess, token: string): Promise<number> {
  return (await call(node.url, 'GET', '/auth/me', { token })).status
}

async function keysUnder(pattern: string): Promise<number> {
  const redis = new Redis(redisUrl(), { lazyConnect: true })
  await redis.connect()
  try {
    return (await redis.keys(pattern)).length
  } finally {
    await redis.quit()
  }
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${ms / 1000} s`)
    await sleep(50)
  }
}

describe('Redis outage under load', { skip }, () => {
  it('falls back to the database and per-process limits, never to "allow", and recovers', async () => {
    const database = await createPostgresSchema()
    const prefix = `test-${randomBytes(5).toString('hex')}:`
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: prefix,
      RATE_LIMIT: 'on',
    }
    const nodes: ServerProcess[] = []
    try {
      nodes.push(await startServer(env))
      nodes.push(await startServer(env))
      const [a, b] = nodes as [ServerProcess, ServerProcess] // both started above
      const [doomed, steady] = [email(), email()]
      for (const who of [doomed, steady]) assert.equal((await register(a.url, who)).status, 201)
      const doomedToken = await login(a.url, doomed)
      const steadyToken = await login(b.url, steady)
      for (const node of [a, b]) {
        for (const token of [doomedToken, steadyToken])
          assert.equal(await meStatus(node, token), 200)
      }
      assert.ok((await keysUnder(`${prefix}sc:*:s:*`)) >= 2, 'both sessions are cached in Redis')
      const load = startLoad(4, (worker) => me((worker % 2 === 0 ? a : b).url, steadyToken))
      await sleep(500)

      try {
        await stopRedis()
        // Revoked while Redis is away: both nodes must refuse it, the cache being unreachable.
        assert.equal(
          (await call(b.url, 'POST', '/auth/logout', { token: doomedToken })).status,
          204,
        )
        assert.equal(await meStatus(a, doomedToken), 401, 'node A refuses at once (database)')
        assert.equal(await meStatus(b, doomedToken), 401, 'node B refuses at once (database)')
        // Logins still work; their per-IP limit is now counted in each process.
        assert.equal(typeof (await login(a.url, steady)), 'string')
        await sleep(2_000)
      } finally {
        await startRedis()
      }

      // Both nodes use Redis again by themselves: new entries and counters appear there.
      const freshSteady = await login(a.url, steady)
      await eventually('limiter counters back in Redis', async () => {
        await login(b.url, doomed) // another user: a login ends the user's other sessions
        return (await keysUnder(`${prefix}rl:*`)) > 0
      })
      await eventually('sessions cached in Redis again', async () => {
        await meStatus(a, freshSteady)
        return (await keysUnder(`${prefix}sc:*:s:*`)) > 0
      })
      // And invalidation works again across nodes.
      assert.equal((await call(a.url, 'POST', '/auth/logout', { token: freshSteady })).status, 204)
      await eventually(
        'node B refuses a session logged out on A',
        async () => (await meStatus(b, freshSteady)) === 401,
        2_000,
      )
      assert.equal(
        await meStatus(a, doomedToken),
        401,
        'the session revoked during the outage stays refused',
      )
      assert.equal(await meStatus(b, doomedToken), 401)

      const samples = await load.stop()
      for (const node of nodes)
        assert.equal(node.child.exitCode, null, `a node died:\n${node.output()}`)
      // The steady session was revoked by its own later logins (SESSION_POLICY single) only
      // after the load's token: every answer is 200 or, once replaced, 401. Never a 5xx or hang.
      const bad = samples.filter(
        (s) => s.status === 0 || s.status >= 500 || s.ms >= REQUEST_BOUND_MS,
      )
      assert.deepEqual(bad, [], 'no error, no 5xx, no hang while Redis was away')
      assert.ok(samples.filter((s) => s.status === 200).length > 10)
      const logs = nodes.map((node) => node.output()).join('\n')
      assert.match(logs, /counting in this process only/, 'the limiter said it fell back')
      assert.match(logs, /Redis unreachable/)
    } finally {
      await startRedis()
      await Promise.all(nodes.map((node) => node.stop()))
      await database.drop()
    }
  })
})
