// The verified-token cache must never accept what verifyAccessToken would refuse: only exact
// bytes that verified are remembered, expiry is re-checked, and a key leaving the ring (or a
// different audience) drops the entry.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { verifyAccessTokenCached } from '../../src/core/tokens/verified-token-cache.ts'
import { aud, inAnHour, issueTestToken, makeRing, now } from '../helpers/access-tokens.ts'

describe('verified access-token cache', () => {
  it('answers the same verdict twice and refuses a tampered copy of a cached token', async () => {
    const ring = makeRing()
    const token = issueTestToken(ring)
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

  it('refuses a cached signature under another header or payload (the cache is keyed by it)', async () => {
    const ring = makeRing()
    const token = issueTestToken(ring)
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
    const [header, payload, signature] = token.split('.')
    assert.ok(header !== undefined && payload !== undefined && signature !== undefined)
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as object
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString(
      'base64url',
    )
    assert.equal(
      verifyAccessTokenCached(ring, aud, `${header}.${otherPayload}.${signature}`, now).ok,
      false,
    )
    assert.equal(
      verifyAccessTokenCached(ring, aud, `${header}x.${payload}.${signature}`, now).ok,
      false,
    )
    // And the genuine token is still answered from the cache afterwards.
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
  })

  it('re-checks expiry on every hit', async () => {
    const ring = makeRing()
    const token = issueTestToken(ring)
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
    assert.deepEqual(verifyAccessTokenCached(ring, aud, token, inAnHour), {
      ok: false,
      reason: 'expired',
    })
  })

  it('drops tokens of a key that left the ring, and never crosses audiences', async () => {
    const ring = makeRing()
    const token = issueTestToken(ring)
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, true)
    const other = { ...aud, audience: 'someone-else' }
    assert.equal(verifyAccessTokenCached(ring, other, token, now).ok, false)
    ring.byKid.delete('k1')
    assert.equal(verifyAccessTokenCached(ring, aud, token, now).ok, false)
  })
})
