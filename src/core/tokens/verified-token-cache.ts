import {
  verifyAccessToken,
  type AccessTokenAudience,
  type AccessTokenClaims,
  type AccessTokenVerdict,
} from './access-token.js'
import type { SigningKeyRing } from './signing-keys.js'

// An Ed25519 verify costs ~50-100 µs of main-thread CPU, more than the rest of a /auth/me request
// together (measured with `npm run bench`: bearer checks ran at a quarter of cookie checks). A
// client presents the same access token on every request until it expires, so a token whose
// signature has been verified once is remembered by its exact bytes. Only the signature and the
// static claims are cached: expiry is re-checked on every hit and the session is still looked up
// on every request (revocation, SEC-JWT-04). A key dropped from the ring drops its tokens; a
// reloaded ring gets a fresh cache (WeakMap on the ring object).

const MAX_ENTRIES = 10_000

interface Entry {
  readonly token: string
  readonly claims: AccessTokenClaims
  readonly kid: string
  readonly issuer: string
  readonly audience: string
}

const caches = new WeakMap<SigningKeyRing, Map<string, Entry>>()

// Keyed by the signature segment, checked against the whole token: V8 hashes every character of
// a Map key, and hashing the ~90 characters of the signature instead of the ~400 of the token
// took a measurable share of a warm bearer check. Equal signatures with different tokens (only
// possible for a forged token) miss and are verified in full.
function keyOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1)
}

function kidOf(token: string): string | null {
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'),
    )
    const kid =
      typeof header === 'object' && header !== null
        ? (header as Record<string, unknown>)['kid']
        : undefined // a parsed object
    return typeof kid === 'string' ? kid : null
  } catch {
    return null
  }
}

/** verifyAccessToken, remembering tokens whose signature and claims checked out. */
export function verifyAccessTokenCached(
  ring: SigningKeyRing,
  aud: AccessTokenAudience,
  token: string,
  now: Date,
): AccessTokenVerdict {
  let cache = caches.get(ring)
  if (cache === undefined) {
    cache = new Map()
    caches.set(ring, cache)
  }
  const key = keyOf(token)
  const hit = cache.get(key)
  if (hit !== undefined && hit.token === token) {
    if (ring.byKid.has(hit.kid) && hit.issuer === aud.issuer && hit.audience === aud.audience) {
      if (hit.claims.exp <= now.getTime() / 1000) {
        cache.delete(key)
        return { ok: false, reason: 'expired' }
      }
      return { ok: true, claims: hit.claims }
    }
    cache.delete(key)
  }
  const verdict = verifyAccessToken(ring, aud, token, now)
  if (verdict.ok) {
    const kid = kidOf(token)
    if (kid !== null) {
      // Oldest first out (Map keeps insertion order); bounded so a flood of valid tokens cannot grow it.
      if (cache.size >= MAX_ENTRIES) {
        const oldest = cache.keys().next()
        if (oldest.done !== true) cache.delete(oldest.value)
      }
      cache.set(key, {
        token,
        claims: verdict.claims,
        kid,
        issuer: aud.issuer,
        audience: aud.audience,
      })
    }
  }
  return verdict
}
