// PostgreSQL stopped for a few seconds under load, then started again, with a real server
// process on it. Requests during the outage get 503 problem answers with Retry-After (never a
// 500, a crash or a hang past a bound), /readyz says 503, the server recovers by itself, and
// every registration it acknowledged (201) is in the database afterwards.
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import { faultSkipReason, startPostgres, stopPostgres } from '../helpers/faults.ts'
import {
  call,
  login,
  register,
  startServer,
  type ServerProcess,
} from '../helpers/server-process.ts'
import { storeSkipReason } from '../helpers/services.ts'
import { createPostgresSchema } from './postgres-schema.ts'
import { me, registration, REQUEST_BOUND_MS, startLoad, timedRequest, type Sample } from './load.ts'

const skip = faultSkipReason() || (await storeSkipReason('postgres'))
const OUTAGE_MS = 3_000

// Whatever happens above, PostgreSQL is running again when this file ends.
after(async () => {
  if (skip === false) await startPostgres()
})

function assertProblem503(sample: Sample): void {
  assert.equal(sample.code, 'service_unavailable', JSON.stringify(sample))
  assert.match(sample.contentType ?? '', /^application\/problem\+json/, JSON.stringify(sample))
  assert.ok(Number(sample.retryAfter) > 0, `503 without Retry-After: ${JSON.stringify(sample)}`)
}

describe('PostgreSQL outage under load', { skip }, () => {
  it('answers 503 while it is down, recovers by itself, and loses no acknowledged write', async () => {
    const database = await createPostgresSchema()
    let server: ServerProcess | undefined
    try {
      const node = await startServer({ DATABASE_URL: database.url, PASSWORD_HASH_THREADS: '2' })
      server = node
      assert.equal((await register(node.url, 'steady@example.com')).status, 201)
      const token = await login(node.url, 'steady@example.com')
      const load = startLoad(6, (worker) =>
        worker % 2 === 0 ? registration(node.url) : me(node.url, token),
      )
      const readiness = startLoad(1, () =>
        timedRequest('readyz', `${node.url}/readyz`, { method: 'GET' }),
      )
      await sleep(1_500)

      let outage: { from: number; to: number }
      const from = Date.now()
      try {
        await stopPostgres()
        await sleep(OUTAGE_MS)
      } finally {
        await startPostgres()
        outage = { from, to: Date.now() }
      }

      // Recovers by itself: no restart, no operator.
      const deadline = Date.now() + 30_000
      while ((await call(node.url, 'GET', '/readyz')).status !== 200) {
        if (Date.now() > deadline)
          assert.fail(`/readyz not 200 within 30 s of the restart:\n${node.output()}`)
        await sleep(100)
      }
      const recoveredAt = Date.now()
      await sleep(2_000)
      const samples = [...(await load.stop()), ...(await readiness.stop())]

      assert.equal(node.child.exitCode, null, `the server died:\n${node.output()}`)
      const failed = samples.filter((s) => s.status === 0)
      assert.deepEqual(failed, [], 'every request got an answer (no reset, no timeout)')
      const slow = samples.filter((s) => s.ms >= REQUEST_BOUND_MS)
      assert.deepEqual(slow, [], 'no request hung')
      const unexpected = samples.filter((s) => ![200, 201, 503].includes(s.status))
      assert.deepEqual(unexpected, [], 'only successes and 503s, never a 500')
      const unavailable = samples.filter((s) => s.status === 503)
      for (const sample of unavailable) assertProblem503(sample)
      const during = (s: Sample): boolean => s.at >= outage.from && s.at + s.ms <= outage.to
      assert.ok(
        unavailable.some((s) => s.kind === 'register'),
        'registrations met the outage',
      )
      assert.ok(
        unavailable.some((s) => s.kind === 'readyz' && during(s)),
        '/readyz said 503 during the outage',
      )
      const after = samples.filter((s) => s.at > recoveredAt)
      assert.ok(
        after.some((s) => s.kind === 'register' && s.status === 201),
        'registrations succeed again',
      )
      assert.ok(
        after.every((s) => s.status !== 503),
        'nothing fails once recovered',
      )
      assert.equal(
        (await call(node.url, 'GET', '/auth/me', { token })).status,
        200,
        'sessions from before still work',
      )

      // No acknowledged write lost: every 201 is a row.
      const acknowledged = samples
        .filter((s) => s.kind === 'register' && s.status === 201)
        .map((s) => s.email ?? '')
      const store = await openSqlStore(database.url)
      try {
        const rows = await store.db.selectFrom('users').select('email').execute()
        const stored = new Set(rows.map((row) => row.email))
        assert.deepEqual(
          acknowledged.filter((email) => !stored.has(email)),
          [],
        )
        assert.ok(acknowledged.length > 0)
        const verdict = await store.audit.verifyChain()
        assert.equal(verdict.ok, true, JSON.stringify(verdict))
      } finally {
        await store.close()
      }
    } finally {
      await startPostgres()
      await server?.stop()
      await database.drop()
    }
  })
})
