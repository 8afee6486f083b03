// The RateLimiter port's suite, written once and run on every adapter (memory, Redis), like the
// store's conformance suite: fixed windows, exact counting under concurrency, Retry-After.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import type { RateLimiter } from '../../src/core/ports.ts'

export function describeRateLimiterConformance(
  name: string,
  open: () => Promise<RateLimiter>,
  options: { readonly skip?: string | false } = {},
): void {
  const key = (): string => `conformance:${randomBytes(6).toString('hex')}`

  describe(`RateLimiter conformance: ${name}`, { skip: options.skip ?? false }, () => {
    it('allows up to the limit in a window, then refuses with Retry-After', async () => {
      const limiter = await open()
      try {
        const k = key()
        for (let i = 0; i < 3; i += 1) assert.equal((await limiter.hit(k, 3, 60)).allowed, true)
        const refused = await limiter.hit(k, 3, 60)
        assert.equal(refused.allowed, false)
        assert.ok(refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60)
      } finally {
        await limiter.close()
      }
    })

    it('keeps keys apart', async () => {
      const limiter = await open()
      try {
        const [a, b] = [key(), key()]
        assert.equal((await limiter.hit(a, 1, 60)).allowed, true)
        assert.equal((await limiter.hit(a, 1, 60)).allowed, false)
        assert.equal((await limiter.hit(b, 1, 60)).allowed, true)
      } finally {
        await limiter.close()
      }
    })

    it('counts every one of 200 concurrent hits: exactly the limit get through', async () => {
      const limiter = await open()
      try {
        const k = key()
        const decisions = await Promise.all(
          Array.from({ length: 200 }, () => limiter.hit(k, 25, 60)),
        )
        assert.equal(decisions.filter((d) => d.allowed).length, 25)
      } finally {
        await limiter.close()
      }
    })

    it('opens a new window once the old one has passed', async () => {
      const limiter = await open()
      try {
        const k = key()
        assert.equal((await limiter.hit(k, 1, 1)).allowed, true)
        assert.equal((await limiter.hit(k, 1, 1)).allowed, false)
        await sleep(1_150)
        assert.equal((await limiter.hit(k, 1, 1)).allowed, true)
      } finally {
        await limiter.close()
      }
    })
  })
}
