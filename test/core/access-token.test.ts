import assert from 'node:assert/strict'
import { createHmac, createPublicKey } from 'node:crypto'
import { describe, it } from 'node:test'
import { SignJWT, jwtVerify } from 'jose'
import { verifyAccessToken } from '../../src/core/tokens/access-token.ts'
import { aud, inAnHour, issueTestToken, makeRing, now } from '../helpers/access-tokens.ts'
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('access tokens (RFC 8725)', () => {
  const ring = makeRing()

  it('round-trips sub, sid, jti, iat, exp', async () => {
    const token = issueTestToken(ring)
    const verdict = verifyAccessToken(ring, aud, token, now)
    assert.equal(verdict.ok, true)
    if (!verdict.ok) return
    assert.equal(verdict.claims.sub, 'u1')
    assert.equal(verdict.claims.sid, 's1')
    assert.equal(verdict.claims.exp, inAnHour.getTime() / 1000)
    assert.ok(verdict.claims.jti.length >= 16)
  })

  it('signs a token that jose verifies as an EdDSA at+jwt (an independent implementation)', async () => {
    const token = issueTestToken(ring)
    const { payload, protectedHeader } = await jwtVerify(token, ring.current.publicKey, {
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
      issuer: aud.issuer,
      audience: aud.audience,
      currentDate: now,
    })
    assert.deepEqual(protectedHeader, { alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' })
    assert.equal(payload.sub, 'u1')
    assert.equal(payload['sid'], 's1')
    assert.equal(payload.iat, now.getTime() / 1000)
    assert.equal(payload.exp, inAnHour.getTime() / 1000)
  })

  it('reports expiry separately from invalidity', async () => {
    const token = issueTestToken(ring)
    assert.deepEqual(verifyAccessToken(ring, aud, token, inAnHour), {
      ok: false,
      reason: 'expired',
    })
  })

  it('refuses alg "none"', async () => {
    const token = issueTestToken(ring)
    const [, payload] = token.split('.')
    const forged = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${payload}.`
    assert.deepEqual(verifyAccessToken(ring, aud, forged, now), { ok: false, reason: 'invalid' })
  })

  it('refuses HS256 signed with the public key (key confusion)', async () => {
    const token = issueTestToken(ring)
    const [, payload] = token.split('.')
    const header = b64({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
    const pem = createPublicKey(ring.current.privateKey).export({ format: 'pem', type: 'spki' })
    const sig = createHmac('sha256', pem).update(`${header}.${payload}`).digest('base64url')
    assert.equal(verifyAccessToken(ring, aud, `${header}.${payload}.${sig}`, now).ok, false)
  })

  it('ignores an embedded jwk header: a token signed by an attacker key is refused', async () => {
    const attacker = makeRing('k1')
    const forged = await new SignJWT({ sid: 's1' })
      .setProtectedHeader({
        alg: 'EdDSA',
        typ: 'at+jwt',
        kid: 'k1',
        jwk: attacker.current.publicJwk,
      })
      .setSubject('u1')
      .setIssuer(aud.issuer)
      .setAudience(aud.audience)
      .setJti('x'.repeat(20))
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(inAnHour.getTime() / 1000)
      .sign(attacker.current.privateKey)
    assert.equal(verifyAccessToken(ring, aud, forged, now).ok, false)
  })

  it('checks iss, aud and typ (other JWT kinds are not access tokens)', async () => {
    const token = issueTestToken(ring)
    assert.equal(
      verifyAccessToken(ring, { ...aud, issuer: 'https://evil.example' }, token, now).ok,
      false,
    )
    assert.equal(verifyAccessToken(ring, { ...aud, audience: 'other' }, token, now).ok, false)
    const idToken = await new SignJWT({ sid: 's1' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: 'k1' })
      .setSubject('u1')
      .setIssuer(aud.issuer)
      .setAudience(aud.audience)
      .setJti('x'.repeat(20))
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(inAnHour.getTime() / 1000)
      .sign(ring.current.privateKey)
    assert.equal(verifyAccessToken(ring, aud, idToken, now).ok, false)
  })

  it('refuses a tampered payload and unknown kids', async () => {
    const token = issueTestToken(ring)
    const [header, , sig] = token.split('.')
    const tampered = `${header}.${b64({ sub: 'admin', sid: 's1', jti: 'j', iat: 1, exp: 9e9, iss: aud.issuer, aud: aud.audience })}.${sig}`
    assert.equal(verifyAccessToken(ring, aud, tampered, now).ok, false)
    assert.equal(verifyAccessToken(makeRing('other'), aud, token, now).ok, false)
    assert.equal(verifyAccessToken(ring, aud, 'not.a.jwt', now).ok, false)
    assert.equal(verifyAccessToken(ring, aud, '', now).ok, false)
  })
})
