// The worker-pool hasher (src/crypto/password-hash.ts): what its callers see when the pool refuses
// work, both when the queue is full and when the pool is closed under them at shutdown.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPasswordHasher } from '../../src/crypto/password-hash.ts'
import { AuthError } from '../../src/core/errors.ts'

function isServiceUnavailable(error: unknown): boolean {
  return (
    error instanceof AuthError &&
    error.code === 'service_unavailable' &&
    error.retryAfterSeconds !== undefined &&
    error.retryAfterSeconds > 0
  )
}

describe('password hasher refusals', () => {
  it('answers service_unavailable with Retry-After once its queue is full', async () => {
    const hasher = createPasswordHasher({ threads: 1, maxQueue: 1 })
    try {
      const stored = await hasher.hash('correct horse battery staple')
      // A lone thread holds no next task: one running, one queued, the third refused at once.
      const results = await Promise.allSettled(
        [1, 2, 3].map(() => hasher.verify(stored, 'correct horse battery staple')),
      )
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'rejected'],
      )
      const [, , refused] = results
      assert.ok(refused?.status === 'rejected' && isServiceUnavailable(refused.reason))
    } finally {
      await hasher.close()
    }
  })

  it('lets each of two or more threads hold its next task, within the same refusal', async () => {
    const hasher = createPasswordHasher({ threads: 2, maxQueue: 1 })
    try {
      const password = 'correct horse battery staple'
      const stored = await hasher.hash(password)
      await Promise.all([hasher.verify(stored, password), hasher.verify(stored, password)])
      // Two running, two held (one per thread), one queued: the sixth is refused at once.
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5, 6].map(() => hasher.verify(stored, password)),
      )
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
      )
      const refused = results[5]
      assert.ok(refused?.status === 'rejected' && isServiceUnavailable(refused.reason))
    } finally {
      await hasher.close()
    }
  })

  it('drops a queued check whose caller has gone away, and frees its place', async () => {
    const hasher = createPasswordHasher({ threads: 1, maxQueue: 1 })
    try {
      const password = 'correct horse battery staple'
      const stored = await hasher.hash(password)
      const running = hasher.verify(stored, password)
      const gone = new AbortController()
      const abandoned = hasher.verify(stored, password, gone.signal)
      assert.equal(hasher.queueDepth(), 1)
      assert.equal(hasher.saturated?.(), true)
      gone.abort()
      await assert.rejects(abandoned, (error) => isServiceUnavailable(error))
      assert.equal(hasher.queueDepth(), 0)
      // The place is free again: without the drop this third check would be refused.
      const results = await Promise.allSettled([running, hasher.verify(stored, password)])
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value.valid : r.status)),
        [true, true],
      )
    } finally {
      await hasher.close()
    }
  })

  it('answers service_unavailable, not an internal error, to tasks still queued at close', async () => {
    const hasher = createPasswordHasher({ threads: 1, maxQueue: 16 })
    const stored = await hasher.hash('correct horse battery staple')
    const pending = Array.from({ length: 6 }, () =>
      hasher.verify(stored, 'correct horse battery staple'),
    )
    const settled = Promise.allSettled(pending)
    await hasher.close()
    const results = await settled
    const refused = results.filter((r) => r.status === 'rejected')
    assert.ok(refused.length >= 1, 'the queued ones did not run')
    for (const r of refused) assert.ok(isServiceUnavailable(r.reason), String(r.reason))
  })
})
