// The in-process LRU under both session caches: bounded, least recently used out first (recency
// kept to the second), expired entries never answered, and a fill that raced an invalidation
// dropped.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CachedSession } from '../../src/core/ports.ts'
import type { Session, User } from '../../src/core/types.ts'
import { LocalSessionCache } from '../../src/storage/cache/local-session-cache.ts'

function cached(sessionId: string, userId = `u-${sessionId}`): CachedSession {
  // Only the ids matter to the cache; the rest is opaque to it.
  const session = { id: sessionId, userId, lastSeenAt: new Date(0) } as unknown as Session // a partial fixture
  const user = { id: userId } as unknown as User // a partial fixture
  return { session, user }
}

describe('LocalSessionCache', () => {
  it('evicts the least recently used entry, counting a hit from a second ago', () => {
    const cache = new LocalSessionCache(60_000, 2)
    let now = 0
    cache.set(cached('a'), cache.generation, now)
    cache.set(cached('b'), cache.generation, now)
    now += 1000
    assert.ok(cache.get('a', now) !== null) // a is now the younger of the two
    cache.set(cached('c'), cache.generation, now)
    assert.equal(cache.get('b', now), null, 'b was used least recently')
    assert.ok(cache.get('a', now) !== null)
    assert.ok(cache.get('c', now) !== null)
    assert.equal(cache.size, 2)
  })

  it('does not answer an expired entry', () => {
    const cache = new LocalSessionCache(1000, 10)
    cache.set(cached('a'), cache.generation, 0)
    assert.ok(cache.get('a', 999) !== null)
    assert.equal(cache.get('a', 1000), null)
    assert.equal(cache.size, 0)
  })

  it("drops a fill whose generation an invalidation has passed, and a user's sessions together", () => {
    const cache = new LocalSessionCache(60_000, 10)
    const ticket = cache.generation
    cache.invalidate(['x'], [])
    assert.equal(cache.set(cached('a'), ticket, 0), false)
    assert.equal(cache.get('a', 0), null)
    cache.set(cached('s1', 'u1'), cache.generation, 0)
    cache.set(cached('s2', 'u1'), cache.generation, 0)
    cache.invalidate([], ['u1'])
    assert.equal(cache.get('s1', 0), null)
    assert.equal(cache.get('s2', 0), null)
  })
})
