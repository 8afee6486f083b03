import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LoginThrottlePolicy } from '../../../src/core/types.ts'
import { at, concurrently, fulfilled, newUser, type StoreFixture } from './fixtures.ts'

const policy: LoginThrottlePolicy = { freeAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 10 }

export function describeThrottleAndKeys(fixture: StoreFixture): void {
  describe('login throttle', () => {
    it('allows the free attempts, then one more that sets a doubling, capped delay', async () => {
      const { loginThrottle } = fixture.store
      const attempt = (seconds: number) => loginThrottle.registerAttempt('k', at(seconds), policy)
      for (let i = 0; i < 5; i += 1) assert.deepEqual(await attempt(0), { allowed: true })
      assert.deepEqual(await attempt(0), { allowed: true }, 'the 6th earns the first delay')
      assert.deepEqual(await attempt(0), { allowed: false, retryAfterSeconds: 2 })
      assert.deepEqual(await attempt(1.5), { allowed: false, retryAfterSeconds: 1 })
      assert.deepEqual(await attempt(2), { allowed: true })
      assert.deepEqual(await attempt(2), { allowed: false, retryAfterSeconds: 4 })
      assert.deepEqual(await attempt(6), { allowed: true })
      assert.deepEqual(await attempt(6), { allowed: false, retryAfterSeconds: 8 })
      assert.deepEqual(await attempt(14), { allowed: true })
      assert.deepEqual(await attempt(14), { allowed: false, retryAfterSeconds: 10 }, 'capped')
      assert.deepEqual(await loginThrottle.registerAttempt('other', at(14), policy), {
        allowed: true,
      })
    })

    it('does not count refused attempts, and clear() starts over', async () => {
      const { loginThrottle } = fixture.store
      for (let i = 0; i < 6; i += 1) await loginThrottle.registerAttempt('k', at(0), policy)
      for (let i = 0; i < 20; i += 1) await loginThrottle.registerAttempt('k', at(1), policy)
      // Had the 20 refusals counted, this delay would be at the cap (10 s), not 4 s.
      assert.deepEqual(await loginThrottle.registerAttempt('k', at(2), policy), { allowed: true })
      assert.deepEqual(await loginThrottle.registerAttempt('k', at(2), policy), {
        allowed: false,
        retryAfterSeconds: 4,
      })
      await loginThrottle.clear('k')
      await loginThrottle.clear('never-seen')
      for (let i = 0; i < 6; i += 1) {
        assert.deepEqual(await loginThrottle.registerAttempt('k', at(2), policy), { allowed: true })
      }
    })

    it('allows exactly freeAttempts + 1 of 100 concurrent attempts on one key', async () => {
      const { loginThrottle } = fixture.store
      const results = await concurrently(100, () =>
        loginThrottle.registerAttempt('hot', at(0), policy),
      )
      const decisions = fulfilled(results)
      assert.equal(decisions.length, 100, 'no attempt fails with an error')
      assert.equal(decisions.filter((d) => d.allowed).length, policy.freeAttempts + 1)
    })

    it('forgets keys idle since a cutoff, unless locked, oldest first, a batch at a time', async () => {
      const { loginThrottle } = fixture.store
      const attempts = async (key: string, seconds: number, count: number) => {
        for (let i = 0; i < count; i += 1)
          await loginThrottle.registerAttempt(key, at(seconds), policy)
      }
      await attempts('oldest', -300, 1)
      await attempts('older', -200, 1)
      await attempts('old', -100, 1)
      await attempts('recent', -50, 1)
      // Six attempts at -100 set a 2 s lock, which a `now` of -99 finds still in force.
      await attempts('locked', -100, 6)

      assert.equal(await loginThrottle.deleteIdle(at(-60), at(-99), 2), 2)
      assert.equal(
        await loginThrottle.deleteIdle(at(-60), at(-99), 2),
        1,
        'old, not the locked key',
      )
      assert.equal(await loginThrottle.deleteIdle(at(-60), at(-99), 2), 0)
      assert.equal(await loginThrottle.deleteIdle(at(-60), at(0), 2), 1, 'its lock has passed')
      // Forgotten keys start over with their free attempts; the recent one kept its count.
      await attempts('oldest', 0, 5)
      assert.deepEqual(await loginThrottle.registerAttempt('oldest', at(0), policy), {
        allowed: true,
      })
      await attempts('recent', 0, 4)
      assert.deepEqual(await loginThrottle.registerAttempt('recent', at(0), policy), {
        allowed: true,
      })
      assert.deepEqual(await loginThrottle.registerAttempt('recent', at(0), policy), {
        allowed: false,
        retryAfterSeconds: 2,
      })
      // Kept, its seventh attempt would be allowed and its eighth refused for 4 s.
      await attempts('locked', 0, 1)
      assert.deepEqual(await loginThrottle.registerAttempt('locked', at(0), policy), {
        allowed: true,
      })
    })
  })

  describe('signing keys', () => {
    it('stores keys and lists them newest first', async () => {
      const { keys } = fixture.store
      assert.deepEqual(await keys.listSigningKeys(), [])
      const old = {
        kid: 'k1',
        alg: 'EdDSA',
        publicJwk: '{"kty":"OKP"}',
        privateJwkEncrypted: 'sealed-1',
        createdAt: at(0),
      } as const
      const recent = { ...old, kid: 'k2', privateJwkEncrypted: 'sealed-2', createdAt: at(60) }
      await keys.addSigningKey(old)
      await keys.addSigningKey(recent)
      assert.deepEqual(await keys.listSigningKeys(), [recent, old])
    })
  })

  describe('transactions and health', () => {
    it('commits every write of a transaction together', async () => {
      const store = fixture.store
      const user = newUser()
      const result = await store.transaction(async (tx) => {
        await tx.users.create(user)
        return tx.users.findById(user.id)
      })
      assert.equal(result?.id, user.id)
      assert.equal((await store.users.findById(user.id))?.id, user.id)
    })

    it('leaves nothing behind when the function throws', async () => {
      const store = fixture.store
      const user = newUser()
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.create(user)
          assert.ok(await tx.users.findById(user.id), 'visible inside the transaction')
          throw new Error('boom')
        }),
        /boom/,
      )
      assert.equal(await store.users.findById(user.id), null)
    })

    it('rolls back earlier writes when a later one is refused (email_taken)', async () => {
      const store = fixture.store
      await store.users.create(newUser({ email: 'taken@example.test' }))
      const first = newUser()
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.create(first)
          await tx.users.create(newUser({ email: 'taken@example.test' }))
        }),
        { code: 'email_taken' },
      )
      assert.equal(await store.users.findById(first.id), null)
      assert.equal(await store.users.count(), 1)
    })

    it('answers ping', async () => {
      await fixture.store.ping()
    })
  })
}
