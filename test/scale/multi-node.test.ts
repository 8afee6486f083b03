// Two real `latchkey serve` processes on one PostgreSQL database, as behind a load balancer:
// a session revoked through one node is refused by the other (at once without Redis, where every
// check reads the database; once the pub/sub broadcast has arrived with Redis), and the limits
// that must hold across nodes do: the per-account login throttle (a database table) always, the
// per-IP limits when Redis is configured.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { createTestDatabase, type TestDatabase } from '../storage/sql-test-stores.ts'
import { redisUrl, storeSkipReason } from '../helpers/services.ts'
import {
  call,
  login,
  PASSWORD,
  register,
  startServer,
  type ServerProcess,
} from '../helpers/server-process.ts'

const postgresSkip = await storeSkipReason('postgres')
const redisSkip = postgresSkip === false ? await storeSkipReason('redis') : postgresSkip
const email = (): string => `node-${randomBytes(5).toString('hex')}@example.com`

interface Deployment {
  readonly a: ServerProcess
  readonly b: ServerProcess
  close(): Promise<void>
}

/** Two nodes on a fresh PostgreSQL schema; the first migrates it and creates the signing key. */
async function deploy(env: Record<string, string>): Promise<Deployment> {
  const database: TestDatabase = await createTestDatabase('postgres')
  const nodeEnv = { DATABASE_URL: database.url, ...env }
  const started: ServerProcess[] = []
  try {
    started.push(await startServer(nodeEnv))
    started.push(await startServer(nodeEnv))
  } catch (error) {
    await Promise.all(started.map((node) => node.stop()))
    await database.drop()
    throw error
  }
  const [a, b] = started as [ServerProcess, ServerProcess] // both pushed above
  return {
    a,
    b,
    async close() {
      await Promise.all([a.stop(), b.stop()])
      await database.drop()
    },
  }
}

async function meStatus(node: ServerProcess, token: string): Promise<number> {
  return (await call(node.url, 'GET', '/auth/me', { token })).status
}

/** Logs in through `a`, warms both nodes, logs out through `b`. */
async function revokeAcrossNodes(d: Deployment): Promise<string> {
  const who = email()
  assert.equal((await register(d.a.url, who)).status, 201)
  const token = await login(d.a.url, who)
  assert.equal(await meStatus(d.a, token), 200)
  assert.equal(await meStatus(d.b, token), 200)
  assert.equal((await call(d.b.url, 'POST', '/auth/logout', { token })).status, 204)
  assert.equal(await meStatus(d.b, token), 401, 'the node that logged out refuses at once')
  return token
}

/** Failed logins alternating between the nodes: the account's throttle is one row for both. */
async function assertThrottleSpansNodes(d: Deployment): Promise<void> {
  const who = email()
  assert.equal((await register(d.a.url, who)).status, 201)
  const attempt = (node: ServerProcess): Promise<number> =>
    call(node.url, 'POST', '/auth/login', {
      body: { email: who, password: `${PASSWORD}-wrong` },
    }).then((r) => r.status)
  // LOGIN_THROTTLE_FREE_ATTEMPTS=2: two free attempts, a third that starts the delay, then 429.
  assert.deepEqual([await attempt(d.a), await attempt(d.b), await attempt(d.a)], [401, 401, 401])
  assert.equal(await attempt(d.b), 429, 'the throttle counted the attempts made on the other node')
  assert.equal(await attempt(d.a), 429)
}

const THROTTLE = { LOGIN_THROTTLE_FREE_ATTEMPTS: '2', LOGIN_THROTTLE_BASE_DELAY: '60s' }

describe('two nodes on PostgreSQL, without Redis', { skip: postgresSkip }, () => {
  let d: Deployment
  before(async () => {
    d = await deploy({ RATE_LIMIT: 'on', ...THROTTLE })
  })
  after(async () => d?.close())

  it('refuses a session logged out on the other node at once (both check the database)', async () => {
    const token = await revokeAcrossNodes(d)
    assert.equal(await meStatus(d.a, token), 401)
  })

  it('holds the per-account login throttle across nodes', async () => {
    await assertThrottleSpansNodes(d)
  })
})

describe('two nodes on PostgreSQL and Redis', { skip: redisSkip }, () => {
  let d: Deployment
  before(async () => {
    d = await deploy({
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: `test-${randomBytes(5).toString('hex')}:`,
      RATE_LIMIT: 'on',
      ...THROTTLE,
    })
  })
  after(async () => d?.close())

  it('node A refuses a session logged out on node B (pub/sub invalidation of its warm cache)', async () => {
    const token = await revokeAcrossNodes(d)
    // No timing assertion here (bench/revocation-propagation.ts measures it); only a bound.
    const deadline = Date.now() + 2_000
    while ((await meStatus(d.a, token)) !== 401) {
      if (Date.now() > deadline) assert.fail('node A still accepts the session after 2 s')
      await sleep(5)
    }
    for (let i = 0; i < 20; i += 1)
      assert.equal(await meStatus(d.a, token), 401, 'and keeps refusing')
  })

  it('holds the per-account login throttle across nodes', async () => {
    await assertThrottleSpansNodes(d)
  })

  it('shares the per-IP limits: registrations through both nodes count against one budget', async () => {
    // REGISTER_LIMITS: 10 a minute per address. Split over two nodes, per-process counters would
    // let 20 through.
    const statuses: number[] = []
    for (let i = 0; i < 12; i += 1) {
      const node = i % 2 === 0 ? d.a : d.b
      statuses.push((await register(node.url, email())).status)
    }
    // Two registrations were made through these nodes by the tests above, in this same minute.
    const created = statuses.filter((s) => s === 201).length
    assert.ok(created <= 10, `at most 10 created, got ${created}: ${statuses.join(',')}`)
    assert.ok(
      statuses.slice(-2).every((s) => s === 429),
      statuses.join(','),
    )
  })
})
