// The verified-token cache must never accept what verifyAccessToken would refuse: only exact
// bytes that verified are remembered, expiry is re-checked, and a key leaving the ring (or a
// different audience) drops the entry.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { issueAccessToken } from '../../src/core/tokens/access-token.ts'
import type { SigningKey, SigningKeyRing } from '../../src/core/tokens/signing-keys.ts'
import { verifyAccessTokenCached } from '../../src/core/tokens/verified-token-cache.ts'

function makeKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { kid, privateKey, publicKey, publicJwk: {}, createdAt: new Date() }
}

const aud = { issuer: 'http://localhost:3000', audience: 'latchkey' }
const now = new Date('2026-01-01T00:00:00Z')
const inAnHour = new Date(now.getTime() + 3600_000)

describe('verified access-token cache', () => {
  it('answers the same verdict twice and refuses a tampered copy of a cached token', async () => {
    const key = makeKey('k1')
    const ring: SigningKeyRing = { current: key, byKid: new Map([['k1', key]]) }
    const token = await issueAccessToken(
      ring,
      aud,
      { userId: 'u1', sessionId: 's1' },
      now,
      inAnHour,
    )
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
    const again = verifyAccessTokenCached(ring, aud, token, now)
    assert.ok(again.ok && again.claims.sid === 's1')
    // Change the signature's first character: it carries six whole bits. (The last characters
    // carry padding bits a decoder ignores, so editing them can leave the signature as it was.)
    const signatureStart = token.lastIndexOf('.') + 1
    const first = token[signatureStart] === 'A' ? 'B' : 'A'
    const tampered = `${token.slice(0, signatureStart)}${first}${token.slice(signatureStart + 1)}`
    assert.equal(verifyAccessTokenCached(ring, aud, tampered, now).ok, false)
  })

  it('re-checks expiry on every hit', async () => {
    const key = makeKey('k1')
    const ring: SigningKeyRing = { current: key, byKid: new Map([['k1', key]]) }
    const token = await issueAccessToken(
      ring,
      aud,
      { userId: 'u1', sessionId: 's1' },
      now,
      inAnHour,
    )
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
    assert.deepEqual(verifyAccessTokenCached(ring, aud, token, inAnHour), {
      ok: false,
      reason: 'expired',
    })
  })

  it('drops tokens of a key that left the ring, and never crosses audiences', async () => {
    const key = makeKey('k1')
    const byKid = new Map([['k1', key]])
    const ring: SigningKeyRing = { current: key, byKid }
    const token = await issueAccessToken(
      ring,
      aud,
      { userId: 'u1', sessionId: 's1' },
      now,
      inAnHour,
    )
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
    const other = { ...aud, audience: 'someone-else' }
    assert.equal(verifyAccessTokenCached(ring, other, token, now).ok, false)
    byKid.delete('k1')
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, false)
  })
})
