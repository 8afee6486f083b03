// Recovery codes (SEC-MFA-06): CSPRNG, shown once, kept only as keyed hashes.
import { randomBytes } from 'node:crypto'
import { hmacSha256 } from '../../crypto/hash-token.js'

export const RECOVERY_CODE_COUNT = 10

// Crockford's base32: no I, L, O or U, so what people copy by hand reads back unambiguously.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const CODE_LENGTH = 10 // 50 bits each

/** `xxxxx-xxxxx`; 32 divides 256, so `byte & 31` picks each character without bias. */
function generateRecoveryCode(): string {
  const bytes = randomBytes(CODE_LENGTH)
  const chars = [...bytes].map((byte) => ALPHABET[byte & 31] ?? '0').join('')
  return `${chars.slice(0, 5)}-${chars.slice(5)}`
}

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode)
}

/** Case, spaces and dashes do not matter; Crockford's look-alikes (i, l → 1; o → 0) are folded. */
export function normalizeRecoveryCode(input: string): string | null {
  const folded = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0')
  if (folded.length !== CODE_LENGTH) return null
  return [...folded].every((c) => ALPHABET.includes(c)) ? folded : null
}

/**
 * HMAC-SHA256 under a key derived from the instance secret, not a plain hash: 50 bits is too
 * little to survive an offline search of a leaked table, but without the key there is nothing to
 * search with. Bound to the user, so a code of one account is no code of another.
 */
export function hashRecoveryCode(key: Uint8Array, userId: string, normalized: string): Uint8Array {
  return hmacSha256(key, `${userId}:${normalized}`)
}
