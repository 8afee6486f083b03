import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConformanceStore } from '../store-conformance.ts'
import {
  at,
  concurrently,
  fulfilled,
  newSession,
  newUser,
  randomHash,
  type StoreFixture,
} from './fixtures.ts'

async function sessionWithToken(
  store: ConformanceStore,
  expiresAt = at(600),
): Promise<{ sessionId: string; tokenHash: Uint8Array }> {
  const user = await store.users.create(newUser())
  const session = await store.sessions.create(newSession(user.id))
  const tokenHash = randomHash()
  await store.refreshTokens.issue({ tokenHash, sessionId: session.id, createdAt: at(0), expiresAt })
  return { sessionId: session.id, tokenHash }
}

function successor(): { tokenHash: Uint8Array; createdAt: Date; expiresAt: Date } {
  return { tokenHash: randomHash(), createdAt: at(10), expiresAt: at(900) }
}

export function describeRefreshTokens(fixture: StoreFixture): void {
  describe('refresh tokens', () => {
    it('issues a token and finds it by hash', async () => {
      const { sessionId, tokenHash } = await sessionWithToken(fixture.store)
      assert.deepEqual(await fixture.store.refreshTokens.findByHash(tokenHash), {
        tokenHash,
        sessionId,
        createdAt: at(0),
        expiresAt: at(600),
        spentAt: null,
      })
      assert.equal(await fixture.store.refreshTokens.findByHash(randomHash()), null)
    })

    it('rotates: spends the token and stores the successor on the same session', async () => {
      const { refreshTokens } = fixture.store
      const { sessionId, tokenHash } = await sessionWithToken(fixture.store)
      const next = successor()
      const result = await refreshTokens.consume({
        presentedHash: tokenHash,
        successor: next,
        now: at(10),
        graceSeconds: 10,
      })
      assert.deepEqual(result, { kind: 'rotated', sessionId })
      assert.deepEqual((await refreshTokens.findByHash(tokenHash))?.spentAt, at(10))
      assert.deepEqual(await refreshTokens.findByHash(next.tokenHash), {
        ...next,
        sessionId,
        spentAt: null,
      })
    })

    it('answers null for an unknown token and expired for an expired one', async () => {
      const { refreshTokens } = fixture.store
      const unknown = await refreshTokens.consume({
        presentedHash: randomHash(),
        successor: successor(),
        now: at(10),
        graceSeconds: 10,
      })
      assert.equal(unknown, null)
      const { sessionId, tokenHash } = await sessionWithToken(fixture.store, at(5))
      const next = successor()
      const expired = await refreshTokens.consume({
        presentedHash: tokenHash,
        successor: next,
        now: at(5),
        graceSeconds: 10,
      })
      assert.deepEqual(expired, { kind: 'expired', sessionId })
      assert.equal(await refreshTokens.findByHash(next.tokenHash), null)
      assert.equal((await refreshTokens.findByHash(tokenHash))?.spentAt, null)
    })

    it('rotates exactly once among 10 concurrent presentations; the rest get grace', async () => {
      const { refreshTokens } = fixture.store
      const { sessionId, tokenHash } = await sessionWithToken(fixture.store)
      // Core derives the successor from the presented token, so every racer brings the same one.
      const next = successor()
      const results = fulfilled(
        await concurrently(10, () =>
          refreshTokens.consume({
            presentedHash: tokenHash,
            successor: next,
            now: at(10),
            graceSeconds: 10,
          }),
        ),
      )
      assert.equal(results.length, 10)
      assert.equal(results.filter((r) => r?.kind === 'rotated').length, 1)
      assert.equal(results.filter((r) => r?.kind === 'grace').length, 9)
      assert.ok(results.every((r) => r?.sessionId === sessionId))
      assert.equal((await refreshTokens.findByHash(next.tokenHash))?.sessionId, sessionId)
    })

    it('reports reuse after the grace window, also once the token has expired', async () => {
      const { refreshTokens } = fixture.store
      const { sessionId, tokenHash } = await sessionWithToken(fixture.store)
      const next = successor()
      const present = (now: Date, graceSeconds: number) =>
        refreshTokens.consume({ presentedHash: tokenHash, successor: next, now, graceSeconds })
      assert.equal((await present(at(10), 10))?.kind, 'rotated')
      assert.deepEqual(await present(at(20), 10), { kind: 'grace', sessionId })
      assert.deepEqual(await present(at(21), 10), { kind: 'reused', sessionId })
      assert.deepEqual(await present(at(11), 0), { kind: 'reused', sessionId })
      assert.deepEqual(await present(at(10), 0), { kind: 'grace', sessionId })
      // A late replay of a stolen, spent token is still reuse, not a harmless "expired".
      assert.deepEqual(await present(at(10_000), 10), { kind: 'reused', sessionId })
    })

    it('gives reused to every concurrent late presentation with graceSeconds 0', async () => {
      const { refreshTokens } = fixture.store
      const { tokenHash } = await sessionWithToken(fixture.store)
      const next = successor()
      await refreshTokens.consume({
        presentedHash: tokenHash,
        successor: next,
        now: at(10),
        graceSeconds: 0,
      })
      const results = fulfilled(
        await concurrently(10, () =>
          refreshTokens.consume({
            presentedHash: tokenHash,
            successor: next,
            now: at(11),
            graceSeconds: 0,
          }),
        ),
      )
      assert.deepEqual(
        results.map((r) => r?.kind),
        Array(10).fill('reused'),
      )
    })
  })
}
