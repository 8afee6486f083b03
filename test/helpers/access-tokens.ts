// What the access-token tests share: a fresh Ed25519 ring, one audience, a fixed "now", and the
// token they issue most (user u1, session s1, valid for an hour).
import { generateKeyPairSync } from 'node:crypto'
import { issueAccessToken } from '../../src/core/tokens/access-token.ts'
import type { SigningKey, SigningKeyRing } from '../../src/core/tokens/signing-keys.ts'

export const aud = { issuer: 'http://localhost:3000', audience: 'latchkey' }
export const now = new Date('2026-01-01T00:00:00Z')
export const inAnHour = new Date(now.getTime() + 3600_000)

export function makeKey(kid = 'k1'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
    createdAt: new Date(),
  }
}

/** A ring of one key; `byKid` is the live map, so a test can take the key out of the ring. */
export function makeRing(kid = 'k1'): SigningKeyRing & { byKid: Map<string, SigningKey> } {
  const key = makeKey(kid)
  return { current: key, byKid: new Map([[kid, key]]) }
}

/** Signs the usual test token (sub u1, sid s1, issued `now`, expiring in an hour). */
export function issueTestToken(ring: SigningKeyRing): string {
  return issueAccessToken(ring, aud, { userId: 'u1', sessionId: 's1' }, now, inAnHour)
}
