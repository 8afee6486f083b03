// IdentityStore.unlinkUnlessLast: an account never loses its last way in, even when two unlinks
// race (each would see one other identity left, and both would delete without the user lock).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ExternalIdentity } from '../../../src/core/types.ts'
import { at, newId, newUser, type StoreFixture } from './fixtures.ts'

function identity(userId: string, subject: string): ExternalIdentity {
  return {
    id: newId(),
    userId,
    issuer: 'https://idp.example',
    subject,
    provider: 'acme',
    email: null,
    createdAt: at(0),
  }
}

export function describeIdentities(fixture: StoreFixture): void {
  describe('external identities: unlink unless last', () => {
    it('keeps the last way in; a password, a passkey or another identity is a way in', async () => {
      const { users, identities, webauthn } = fixture.store
      const social = await users.create(newUser({ passwordHash: null }))
      const only = identity(social.id, `only-${newId()}`)
      await identities.link(only)
      assert.deepEqual(await identities.unlinkUnlessLast(social.id, only.id), {
        kind: 'last_sign_in',
      })
      assert.notEqual(await identities.findByIssuerSubject(only.issuer, only.subject), null)
      assert.deepEqual(await identities.unlinkUnlessLast(newId(), only.id), { kind: 'not_found' })
      const stranger = await users.create(newUser())
      assert.deepEqual(await identities.unlinkUnlessLast(stranger.id, only.id), {
        kind: 'not_found',
      })

      await webauthn.add({
        id: `cred-${newId()}`,
        userId: social.id,
        publicKey: 'pk',
        counter: 0,
        transports: [],
        name: null,
        createdAt: at(1),
        lastUsedAt: null,
      })
      assert.deepEqual(await identities.unlinkUnlessLast(social.id, only.id), {
        kind: 'unlinked',
        identity: only,
      })

      const withPassword = await users.create(newUser())
      const linked = identity(withPassword.id, `pw-${newId()}`)
      await identities.link(linked)
      const result = await fixture.store.transaction((tx) =>
        tx.identities.unlinkUnlessLast(withPassword.id, linked.id),
      )
      assert.equal(result.kind, 'unlinked')
    })

    it('two concurrent unlinks of a password-less account: exactly one wins', async () => {
      const { users, identities } = fixture.store
      for (let round = 0; round < 5; round += 1) {
        const user = await users.create(newUser({ passwordHash: null }))
        const a = identity(user.id, `a-${newId()}`)
        const b = identity(user.id, `b-${newId()}`)
        await identities.link(a)
        await identities.link(b)
        const results = await Promise.all([
          fixture.store.transaction((tx) => tx.identities.unlinkUnlessLast(user.id, a.id)),
          fixture.store.transaction((tx) => tx.identities.unlinkUnlessLast(user.id, b.id)),
        ])
        assert.deepEqual(results.map((r) => r.kind).sort(), ['last_sign_in', 'unlinked'])
        assert.equal((await identities.listForUser(user.id)).length, 1)
      }
    })
  })
}
