import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  at,
  concurrently,
  fulfilled,
  newSession,
  newUser,
  randomHash,
  type StoreFixture,
} from './fixtures.ts'

export function describeSessions(fixture: StoreFixture): void {
  describe('sessions', () => {
    it('creates a session and reads it back, alone and with its user in one lookup', async () => {
      const { users, sessions } = fixture.store
      const user = await users.create(newUser({ name: 'Ada' }))
      const input = newSession(user.id, { ip: null, userAgent: null })
      const expected = { ...input, revokedAt: null, revokeReason: null }
      assert.deepEqual(await sessions.create(input), expected)
      const found = await sessions.findById(input.id)
      assert.deepEqual(found, expected)
      assert.ok(found?.secretHash instanceof Uint8Array)
      assert.deepEqual(await sessions.findWithUser(input.id), { session: expected, user })
      assert.equal(await sessions.findById('nope'), null)
      assert.equal(await sessions.findWithUser('nope'), null)
    })

    it('moves lastSeenAt forward only', async () => {
      const { users, sessions } = fixture.store
      const user = await users.create(newUser())
      const session = await sessions.create(newSession(user.id))
      await sessions.touch(session.id, at(30))
      await sessions.touch(session.id, at(10))
      assert.deepEqual((await sessions.findById(session.id))?.lastSeenAt, at(30))
    })

    it('revokes once: true for the call that revoked, false after and for unknown ids', async () => {
      const { users, sessions } = fixture.store
      const user = await users.create(newUser())
      const session = await sessions.create(newSession(user.id))
      assert.equal(await sessions.revoke(session.id, 'logout', at(5)), true)
      assert.equal(await sessions.revoke(session.id, 'admin', at(6)), false)
      assert.equal(await sessions.revoke('nope', 'logout', at(6)), false)
      const revoked = await sessions.findById(session.id)
      assert.deepEqual(revoked?.revokedAt, at(5))
      assert.equal(revoked?.revokeReason, 'logout')
    })

    it('gives true to exactly one of two concurrent revokes', async () => {
      const { users, sessions } = fixture.store
      const user = await users.create(newUser())
      for (let round = 0; round < 5; round += 1) {
        const session = await sessions.create(newSession(user.id))
        const results = await Promise.all([
          sessions.revoke(session.id, 'logout', at(1)),
          sessions.revoke(session.id, 'admin', at(1)),
        ])
        assert.equal(results.filter(Boolean).length, 1)
      }
    })

    it('revokes all active sessions of a user but the excepted one, returning their ids', async () => {
      const { users, sessions } = fixture.store
      const user = await users.create(newUser())
      const other = await users.create(newUser())
      const keep = await sessions.create(newSession(user.id))
      const a = await sessions.create(newSession(user.id))
      const b = await sessions.create(newSession(user.id))
      const expired = await sessions.create(newSession(user.id, { expiresAt: at(10) }))
      const gone = await sessions.create(newSession(user.id))
      await sessions.revoke(gone.id, 'logout', at(1))
      const theirs = await sessions.create(newSession(other.id))
      const ids = await sessions.revokeAllForUser(user.id, 'logout_all', at(20), keep.id)
      assert.deepEqual([...ids].sort(), [a.id, b.id].sort())
      assert.equal((await sessions.findById(a.id))?.revokeReason, 'logout_all')
      assert.deepEqual((await sessions.findById(b.id))?.revokedAt, at(20))
      assert.equal((await sessions.findById(keep.id))?.revokedAt, null)
      assert.equal((await sessions.findById(expired.id))?.revokedAt, null)
      assert.equal((await sessions.findById(gone.id))?.revokeReason, 'logout')
      assert.equal((await sessions.findById(theirs.id))?.revokedAt, null)
      assert.deepEqual(await sessions.revokeAllForUser(user.id, 'admin', at(21)), [keep.id])
      assert.deepEqual(await sessions.revokeAllForUser('nobody', 'admin', at(21)), [])
    })

    it('lists active sessions newest first', async () => {
      const { users, sessions } = fixture.store
      const user = await users.create(newUser())
      const older = await sessions.create(newSession(user.id, { createdAt: at(1) }))
      const newer = await sessions.create(newSession(user.id, { createdAt: at(2) }))
      await sessions.create(newSession(user.id, { createdAt: at(3), expiresAt: at(50) }))
      const revoked = await sessions.create(newSession(user.id, { createdAt: at(4) }))
      await sessions.revoke(revoked.id, 'logout', at(5))
      const active = await sessions.listActiveForUser(user.id, at(60))
      assert.deepEqual(
        active.map((s) => s.id),
        [newer.id, older.id],
      )
    })

    it('deletes sessions past a cutoff, oldest first, a batch at a time, with their refresh tokens', async () => {
      const { users, sessions, refreshTokens } = fixture.store
      const user = await users.create(newUser())
      const expiring = [at(-300), at(-100), at(-200)]
      const old = []
      for (const expiresAt of expiring) {
        // Revoked or not, a session goes once its absolute expiry is past the cutoff.
        const session = await sessions.create(newSession(user.id, { expiresAt }))
        if (old.length === 0) await sessions.revoke(session.id, 'logout', at(-400))
        old.push(session)
      }
      const recent = await sessions.create(newSession(user.id, { expiresAt: at(-50) }))
      const live = await sessions.create(newSession(user.id))
      const oldToken = randomHash()
      const liveToken = randomHash()
      for (const [tokenHash, sessionId] of [
        [oldToken, old[1]?.id ?? ''],
        [liveToken, live.id],
      ] as const) {
        await refreshTokens.issue({ tokenHash, sessionId, createdAt: at(-500), expiresAt: at(900) })
      }

      assert.equal(await sessions.deleteExpired(at(-60), 2), 2)
      // Oldest first: the sessions that expired at -300 and -200 went, the one at -100 stayed.
      assert.equal(await sessions.findById(old[0]?.id ?? ''), null)
      assert.equal(await sessions.findById(old[2]?.id ?? ''), null)
      assert.notEqual(await sessions.findById(old[1]?.id ?? ''), null)
      assert.equal(await sessions.deleteExpired(at(-60), 2), 1)
      assert.equal(await sessions.deleteExpired(at(-60), 2), 0)
      assert.equal(await sessions.findById(old[1]?.id ?? ''), null)
      assert.equal(
        await refreshTokens.findByHash(oldToken),
        null,
        'the token went with its session',
      )
      assert.notEqual(await sessions.findById(recent.id), null)
      assert.notEqual(await sessions.findById(live.id), null)
      assert.notEqual(await refreshTokens.findByHash(liveToken), null)
    })

    it('leaves exactly one active session after 10 concurrent "revoke all, then create" logins', async () => {
      const store = fixture.store
      const user = await store.users.create(newUser())
      const results = await concurrently(10, (i) =>
        store.transaction(async (tx) => {
          const revoked = await tx.sessions.revokeAllForUser(user.id, 'session_policy', at(i))
          const session = await tx.sessions.create(newSession(user.id, { createdAt: at(i) }))
          return { revoked, session }
        }),
      )
      const logins = fulfilled(results)
      assert.equal(logins.length, 10, 'every login succeeds (serialised, not refused)')
      const active = await store.sessions.listActiveForUser(user.id, at(30))
      assert.equal(active.length, 1)
      // Every session but the survivor was revoked by exactly one later login.
      const revokedIds = logins.flatMap((l) => l.revoked)
      assert.equal(revokedIds.length, 9)
      assert.equal(new Set(revokedIds).size, 9)
      assert.ok(!revokedIds.includes(active[0]?.id ?? ''))
    })
  })
}
