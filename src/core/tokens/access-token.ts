import { sign, verify as verifySignature } from 'node:crypto'
import { generateRandomToken } from '../../crypto/random.js'
import type { SigningKeyRing } from './signing-keys.js'

/** RFC 9068 §2.1: access tokens are typed, so an ID token or any other JWT is not one. */
const ACCESS_TOKEN_TYPE = 'at+jwt'
const ALLOWED_ALGORITHM = 'EdDSA'
const MAX_TOKEN_LENGTH = 4096
const CLOCK_SKEW_SECONDS = 5

export interface AccessTokenClaims {
  readonly sub: string
  readonly sid: string
  readonly jti: string
  readonly iat: number
  readonly exp: number
}

export interface AccessTokenAudience {
  readonly issuer: string
  readonly audience: string
}

export type AccessTokenVerdict =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' }

function encodeSegment(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}

/**
 * Signs synchronously with node:crypto, for the reason `verifyAccessToken` verifies that way: an
 * Ed25519 signature takes tens of microseconds, while jose's WebCrypto path cost about four times
 * the CPU (its job hops through libuv's pool) on every login and refresh. The token is a plain
 * JWS compact serialisation (RFC 7515 §7.1); `test/core/access-token.test.ts` checks that jose
 * verifies it.
 */
export function issueAccessToken(
  ring: SigningKeyRing,
  aud: AccessTokenAudience,
  subject: { readonly userId: string; readonly sessionId: string },
  now: Date,
  expiresAt: Date,
): string {
  const header = encodeSegment({
    alg: ALLOWED_ALGORITHM,
    typ: ACCESS_TOKEN_TYPE,
    kid: ring.current.kid,
  })
  const payload = encodeSegment({
    sid: subject.sessionId,
    sub: subject.userId,
    iss: aud.issuer,
    aud: aud.audience,
    jti: generateRandomToken(16),
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(expiresAt.getTime() / 1000),
  })
  const signingInput = `${header}.${payload}`
  const signature = sign(null, Buffer.from(signingInput, 'ascii'), ring.current.privateKey)
  return `${signingInput}.${signature.toString('base64url')}`
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>) // narrowed to a plain object just above
      : null
  } catch {
    return null
  }
}

function hasAudience(aud: unknown, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected))
}

/**
 * Verifies synchronously with node:crypto: an Ed25519 check takes microseconds, and jose's
 * WebCrypto path would queue every request's check on libuv's 4-thread pool (behind file I/O and
 * anything else there). The rules are RFC 8725's: one pinned algorithm, `kid`
 * only as a lookup key (never `jwk`, `jku`, `x5u` or `x5c`), and iss, aud, exp, nbf and typ all
 * checked.
 */
export function verifyAccessToken(
  ring: SigningKeyRing,
  aud: AccessTokenAudience,
  token: string,
  now: Date,
): AccessTokenVerdict {
  const invalid = { ok: false, reason: 'invalid' } as const
  if (token.length > MAX_TOKEN_LENGTH) return invalid
  const parts = token.split('.')
  if (parts.length !== 3) return invalid
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts
  const header = decodeSegment(headerPart)
  if (header === null || header['alg'] !== ALLOWED_ALGORITHM || header['typ'] !== ACCESS_TOKEN_TYPE)
    return invalid
  if (header['crit'] !== undefined || typeof header['kid'] !== 'string') return invalid
  const key = ring.byKid.get(header['kid'])
  if (key === undefined) return invalid
  const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii')
  const signature = Buffer.from(signaturePart, 'base64url')
  if (!verifySignature(null, signed, key.publicKey, signature)) return invalid

  const claims = decodeSegment(payloadPart)
  if (claims === null) return invalid
  const { sub, sid, jti, iat, exp, nbf, iss } = claims
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string') return invalid
  if (typeof iat !== 'number' || typeof exp !== 'number') return invalid
  if (iss !== aud.issuer || !hasAudience(claims['aud'], aud.audience)) return invalid
  const nowSeconds = now.getTime() / 1000
  if (typeof nbf === 'number' && nbf > nowSeconds + CLOCK_SKEW_SECONDS) return invalid
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) return invalid
  if (exp <= nowSeconds) return { ok: false, reason: 'expired' }
  return { ok: true, claims: { sub, sid, jti, iat, exp } }
}
