import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { NewOneTimeToken, WebAuthnCredential } from '../../../src/core/types.ts'
import {
  at,
  concurrently,
  fulfilled,
  newId,
  newUser,
  randomHash,
  type StoreFixture,
} from './fixtures.ts'

function token(userId: string | null, overrides: Partial<NewOneTimeToken> = {}): NewOneTimeToken {
  return {
    tokenHash: randomHash(),
    purpose: 'password_reset',
    userId,
    email: 'ada@example.test',
    data: { next: '/secure' },
    createdAt: at(0),
    expiresAt: at(1800),
    ...overrides,
  }
}

export function describeFactorsAndTokens(fixture: StoreFixture): void {
  describe('one-time tokens', () => {
    it('consumes once, for its own purpose only, and not after expiry', async () => {
      const { users, oneTimeTokens } = fixture.store
      const user = await users.create(newUser())
      const t = token(user.id)
      await oneTimeTokens.issue(t)
      assert.equal(await oneTimeTokens.consume(t.tokenHash, 'email_verification', at(1)), null)
      assert.deepEqual(await oneTimeTokens.consume(t.tokenHash, 'password_reset', at(1)), {
        kind: 'consumed',
        userId: user.id,
        email: 'ada@example.test',
        data: { next: '/secure' },
      })
      assert.deepEqual(await oneTimeTokens.consume(t.tokenHash, 'password_reset', at(2)), {
        kind: 'used',
      })
      assert.equal(await oneTimeTokens.consume(randomHash(), 'password_reset', at(2)), null)
      const late = token(user.id, { expiresAt: at(10) })
      await oneTimeTokens.issue(late)
      assert.deepEqual(await oneTimeTokens.consume(late.tokenHash, 'password_reset', at(10)), {
        kind: 'expired',
      })
      const anonymous = token(null, { purpose: 'webauthn_challenge', email: null })
      await oneTimeTokens.issue(anonymous)
      const consumed = await oneTimeTokens.consume(anonymous.tokenHash, 'webauthn_challenge', at(1))
      assert.equal(consumed?.kind, 'consumed')
    })

    it('voids older tokens on issue with voidOthers, and on voidForUser', async () => {
      const { users, oneTimeTokens } = fixture.store
      const user = await users.create(newUser())
      const first = token(user.id)
      const verification = token(user.id, { purpose: 'email_verification' })
      await oneTimeTokens.issue(first)
      await oneTimeTokens.issue(verification)
      const second = token(user.id, { createdAt: at(5) })
      await oneTimeTokens.issue(second, { voidOthers: true })
      assert.deepEqual(await oneTimeTokens.consume(first.tokenHash, 'password_reset', at(6)), {
        kind: 'voided',
      })
      assert.equal(await oneTimeTokens.voidForUser(user.id, 'password_reset', at(7)), 1)
      assert.deepEqual(await oneTimeTokens.consume(second.tokenHash, 'password_reset', at(8)), {
        kind: 'voided',
      })
      const other = await oneTimeTokens.consume(verification.tokenHash, 'email_verification', at(8))
      assert.equal(other?.kind, 'consumed', 'other purposes are untouched')
    })

    it('gives consumed to exactly one of 10 concurrent consumes', async () => {
      const { users, oneTimeTokens } = fixture.store
      const user = await users.create(newUser())
      const t = token(user.id)
      await oneTimeTokens.issue(t)
      const results = fulfilled(
        await concurrently(10, () => oneTimeTokens.consume(t.tokenHash, 'password_reset', at(1))),
      )
      assert.equal(results.filter((r) => r?.kind === 'consumed').length, 1)
      assert.equal(results.filter((r) => r?.kind === 'used').length, 9)
    })

    it('deletes tokens that expired before a cutoff, oldest first, a batch at a time', async () => {
      const { users, oneTimeTokens } = fixture.store
      const user = await users.create(newUser())
      // Used, voided or neither, a token goes once its expiry is past the cutoff.
      const used = token(user.id, { createdAt: at(-900), expiresAt: at(-300) })
      const voided = token(user.id, { purpose: 'email_verification', expiresAt: at(-100) })
      const unused = token(null, {
        purpose: 'webauthn_challenge',
        email: null,
        expiresAt: at(-200),
      })
      const recent = token(user.id, { purpose: 'mfa_login', expiresAt: at(-50) })
      const live = token(user.id)
      for (const t of [used, voided, unused, recent, live]) await oneTimeTokens.issue(t)
      assert.equal(
        (await oneTimeTokens.consume(used.tokenHash, 'password_reset', at(-600)))?.kind,
        'consumed',
      )
      await oneTimeTokens.voidForUser(user.id, 'email_verification', at(-400))

      const state = (t: NewOneTimeToken) => oneTimeTokens.consume(t.tokenHash, t.purpose, at(0))
      assert.equal(await oneTimeTokens.deleteExpired(at(-60), 2), 2)
      // Oldest first: the tokens that expired at -300 and -200 went, the one at -100 stayed.
      assert.equal(await state(used), null)
      assert.equal(await state(unused), null)
      assert.deepEqual(await state(voided), { kind: 'voided' })
      assert.equal(await oneTimeTokens.deleteExpired(at(-60), 2), 1)
      assert.equal(await oneTimeTokens.deleteExpired(at(-60), 2), 0)
      assert.equal(await state(voided), null)
      assert.deepEqual(await state(recent), { kind: 'expired' })
      assert.equal((await state(live))?.kind, 'consumed')
    })
  })

  describe('TOTP and recovery codes', () => {
    it('sets up, enables and disables a factor, keeping users.mfaEnabled in step', async () => {
      const { users, mfa } = fixture.store
      const user = await users.create(newUser())
      assert.equal(await mfa.findTotp(user.id), null)
      assert.equal(await mfa.enableTotp(user.id, at(1)), false, 'nothing to enable')
      assert.equal(await mfa.savePendingTotp(user.id, 'sealed-1', at(1)), true)
      assert.equal(await mfa.savePendingTotp(user.id, 'sealed-2', at(2)), true, 'replaces pending')
      assert.deepEqual(await mfa.findTotp(user.id), {
        userId: user.id,
        secretEncrypted: 'sealed-2',
        enabledAt: null,
        lastUsedStep: null,
        createdAt: at(2),
      })
      assert.equal(await mfa.enableTotp(user.id, at(3)), true)
      assert.equal(await mfa.enableTotp(user.id, at(4)), false)
      assert.equal((await users.findById(user.id))?.mfaEnabled, true)
      assert.equal(await mfa.savePendingTotp(user.id, 'sealed-3', at(5)), false, 'enabled stays')
      assert.deepEqual((await mfa.findTotp(user.id))?.enabledAt, at(3))
      await mfa.replaceRecoveryCodes(user.id, [randomHash()], at(3))
      await mfa.disableTotp(user.id)
      assert.equal(await mfa.findTotp(user.id), null)
      assert.equal(await mfa.countRecoveryCodes(user.id), 0)
      assert.equal((await users.findById(user.id))?.mfaEnabled, false)
    })

    it('accepts each time step once, only moving forward, even concurrently', async () => {
      const { users, mfa } = fixture.store
      const user = await users.create(newUser())
      await mfa.savePendingTotp(user.id, 'sealed', at(0))
      assert.equal(await mfa.acceptTotpStep(user.id, 100), true)
      assert.equal(await mfa.acceptTotpStep(user.id, 100), false)
      assert.equal(await mfa.acceptTotpStep(user.id, 99), false)
      const results = fulfilled(await concurrently(10, () => mfa.acceptTotpStep(user.id, 101)))
      assert.equal(results.filter(Boolean).length, 1)
      assert.equal((await mfa.findTotp(user.id))?.lastUsedStep, 101)
      assert.equal(await mfa.acceptTotpStep('nobody', 1), false)
    })

    it('spends each recovery code once and replaces the set wholesale', async () => {
      const { users, mfa } = fixture.store
      const user = await users.create(newUser())
      const codes = Array.from({ length: 10 }, randomHash)
      await mfa.replaceRecoveryCodes(user.id, codes, at(0))
      assert.equal(await mfa.countRecoveryCodes(user.id), 10)
      const [code] = codes
      assert.ok(code)
      const results = fulfilled(
        await concurrently(10, () => mfa.useRecoveryCode(user.id, code, at(1))),
      )
      assert.equal(results.filter(Boolean).length, 1)
      assert.equal(await mfa.countRecoveryCodes(user.id), 9)
      await mfa.replaceRecoveryCodes(user.id, [randomHash(), randomHash()], at(2))
      assert.equal(await mfa.countRecoveryCodes(user.id), 2)
      assert.equal(await mfa.useRecoveryCode(user.id, codes[1] ?? randomHash(), at(3)), false)
    })
  })

  describe('WebAuthn credentials', () => {
    it('stores credentials and records use only when the counter grows', async () => {
      const { users, webauthn } = fixture.store
      const user = await users.create(newUser())
      const credential: WebAuthnCredential = {
        id: 'A'.repeat(1364),
        userId: user.id,
        publicKey: 'pQECAyYgASFYIA',
        counter: 5,
        transports: ['usb', 'nfc'],
        name: 'YubiKey',
        createdAt: at(0),
        lastUsedAt: null,
      }
      await webauthn.add(credential)
      assert.deepEqual(await webauthn.findById(credential.id), credential)
      assert.equal(await webauthn.findById('a'.repeat(1364)), null, 'ids compare exactly')
      assert.equal(await webauthn.recordUse(credential.id, 5, at(1)), false)
      assert.equal(await webauthn.recordUse(credential.id, 6, at(2)), true)
      assert.deepEqual(await webauthn.listForUser(user.id), [
        { ...credential, counter: 6, lastUsedAt: at(2) },
      ])
      const zero = { ...credential, id: 'zero', counter: 0, transports: [], name: null }
      await webauthn.add(zero)
      assert.equal(await webauthn.recordUse('zero', 0, at(3)), true, 'counterless authenticators')
      assert.equal(await webauthn.delete('someone-else', 'zero'), false)
      assert.equal(await webauthn.delete(user.id, 'zero'), true)
      assert.equal(await webauthn.findById('zero'), null)
    })
  })

  describe('external identities', () => {
    it('links one account per (issuer, subject), also inside a transaction', async () => {
      const { users, identities } = fixture.store
      const user = await users.create(newUser())
      const other = await users.create(newUser())
      const identity = {
        id: newId(),
        userId: user.id,
        issuer: 'https://accounts.google.com',
        subject: '1234',
        provider: 'google',
        email: 'ada@gmail.test',
        createdAt: at(0),
      }
      assert.equal(await identities.link(identity), true)
      assert.equal(await identities.link({ ...identity, id: newId(), userId: other.id }), false)
      // A refused link must not poison the transaction (PostgreSQL aborts on a failed statement).
      const linkedInTx = await fixture.store.transaction(async (tx) => {
        const again = await tx.identities.link({ ...identity, id: newId() })
        const fresh = await tx.identities.link({ ...identity, id: newId(), subject: '5678' })
        return [again, fresh, await tx.users.count()]
      })
      assert.deepEqual(linkedInTx, [false, true, 2])
      assert.deepEqual(await identities.findByIssuerSubject(identity.issuer, '1234'), identity)
      assert.equal(await identities.findByIssuerSubject('https://evil.test', '1234'), null)
      assert.equal((await identities.listForUser(user.id)).length, 2)
      assert.equal(await identities.unlink(other.id, identity.id), false)
      assert.equal(await identities.unlink(user.id, identity.id), true)
      assert.equal(await identities.findByIssuerSubject(identity.issuer, '1234'), null)
    })
  })
}
