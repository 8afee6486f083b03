// The worker-pool hasher (src/crypto/password-hash.ts): what its callers see when the pool refuses
// work, both when the queue is full and when the pool is closed under them at shutdown.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPasswordHasher, type WorkerPasswordHasher } from '../../src/crypto/password-hash.ts'
import { AuthError } from '../../src/core/errors.ts'

function isServiceUnavailable(error: unknown): boolean {
  return (
    error instanceof AuthError &&
    error.code === 'service_unavailable' &&
    error.retryAfterSeconds !== undefined &&
    error.retryAfterSeconds > 0
  )
}

const PASSWORD = 'correct horse battery staple'

/** A real pool of that size and a stored hash of PASSWORD, closed whatever `body` does. */
async function withHasher(
  options: { threads: number; maxQueue: number },
  body: (hasher: WorkerPasswordHasher, stored: string) => Promise<void>,
): Promise<void> {
  const hasher = createPasswordHasher(options)
  try {
    await body(hasher, await hasher.hash(PASSWORD))
  } finally {
    await hasher.close()
  }
}

/** Sends `count` checks at once; each ends 'fulfilled', 'refused' (503 + Retry-After) or else. */
async function burst(
  hasher: WorkerPasswordHasher,
  stored: string,
  count: number,
): Promise<string[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => hasher.verify(stored, PASSWORD)),
  )
  return results.map((r) =>
    r.status === 'fulfilled'
      ? 'fulfilled'
      : isServiceUnavailable(r.reason)
        ? 'refused'
        : `rejected: ${String(r.reason)}`,
  )
}

describe('password hasher refusals', () => {
  it('answers service_unavailable with Retry-After once its queue is full', () =>
    withHasher({ threads: 1, maxQueue: 1 }, async (hasher, stored) => {
      // A lone thread holds no next task: one running, one queued, the third refused at once.
      assert.deepEqual(await burst(hasher, stored, 3), ['fulfilled', 'fulfilled', 'refused'])
    }))

  it('lets each of two or more threads hold its next task, within the same refusal', () =>
    withHasher({ threads: 2, maxQueue: 1 }, async (hasher, stored) => {
      await Promise.all([hasher.verify(stored, PASSWORD), hasher.verify(stored, PASSWORD)])
      // Two running, two held (one per thread), one queued: the sixth is refused at once.
      assert.deepEqual(await burst(hasher, stored, 6), [
        ...Array<string>(5).fill('fulfilled'),
        'refused',
      ])
    }))

  it('drops a queued check whose caller has gone away, and frees its place', () =>
    withHasher({ threads: 1, maxQueue: 1 }, async (hasher, stored) => {
      const running = hasher.verify(stored, PASSWORD)
      const gone = new AbortController()
      const abandoned = hasher.verify(stored, PASSWORD, gone.signal)
      assert.equal(hasher.queueDepth(), 1)
      assert.equal(hasher.saturated?.(), true)
      gone.abort()
      await assert.rejects(abandoned, (error) => isServiceUnavailable(error))
      assert.equal(hasher.queueDepth(), 0)
      // The place is free again: without the drop this third check would be refused.
      const results = await Promise.allSettled([running, hasher.verify(stored, PASSWORD)])
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value.valid : r.status)),
        [true, true],
      )
    }))

  it('answers service_unavailable, not an internal error, to tasks still queued at close', async () => {
    const hasher = createPasswordHasher({ threads: 1, maxQueue: 16 })
    const stored = await hasher.hash(PASSWORD)
    const pending = Array.from({ length: 6 }, () => hasher.verify(stored, PASSWORD))
    const settled = Promise.allSettled(pending)
    await hasher.close()
    const results = await settled
    const refused = results.filter((r) => r.status === 'rejected')
    assert.ok(refused.length >= 1, 'the queued ones did not run')
    for (const r of refused) assert.ok(isServiceUnavailable(r.reason), String(r.reason))
  })
})
