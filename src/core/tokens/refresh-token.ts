import { hashToken, hmacSha256 } from '../../crypto/hash-token.js'
import { generateRandomToken } from '../../crypto/random.js'

export function generateRefreshToken(): string {
  return generateRandomToken(32)
}

/**
 * The successor of a refresh token is derived from it with a server-side key, not drawn at
 * random: every request that presents the same token inside the grace window (several tabs
 * refreshing at once) can then be handed the very same successor, while only hashes are kept.
 * Without the key the successor cannot be computed from the presented token.
 */
export function deriveSuccessorToken(rotationKey: Uint8Array, presented: string): string {
  return hmacSha256(rotationKey, presented).toString('base64url')
}

export { hashToken as hashRefreshToken }
