import { hashToken } from '../../crypto/hash-token.js'
import { generateRandomToken } from '../../crypto/random.js'
import { AuthError } from '../errors.js'
import type { OneTimeTokenConsumeResult } from '../types.js'

/** 32 bytes (256 bits) from the CSPRNG, base64url: SEC-RESET-01 asks for at least 128. */
const TOKEN_BYTES = 32
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export interface LinkToken {
  /** Goes into the mail link only; never stored, logged or audited. */
  readonly token: string
  /** What the store keeps (SEC-RESET-03). */
  readonly tokenHash: Uint8Array
}

export function createLinkToken(): LinkToken {
  const token = generateRandomToken(TOKEN_BYTES)
  return { token, tokenHash: hashToken(token) }
}

/** The hash to look up, or `invalid_token` for anything that cannot be one of ours. */
export function linkTokenHash(token: string): Uint8Array {
  if (!TOKEN_SHAPE.test(token)) throw invalidToken()
  return hashToken(token)
}

export function invalidToken(): AuthError {
  return new AuthError('invalid_token', { detail: 'This link is not valid. Ask for a new one.' })
}

export type ConsumedToken = Extract<OneTimeTokenConsumeResult, { kind: 'consumed' }>

/**
 * The store's verdict as the contract words it: 400 `invalid_token`, `token_expired` or
 * `token_used`. A token voided by a newer one or by a password change is simply invalid.
 */
export function acceptConsumed(result: OneTimeTokenConsumeResult | null): ConsumedToken {
  if (result === null) throw invalidToken()
  switch (result.kind) {
    case 'consumed':
      return result
    case 'used':
      throw new AuthError('token_used', { detail: 'This link has already been used.' })
    case 'expired':
      throw new AuthError('token_expired', { detail: 'This link has expired. Ask for a new one.' })
    case 'voided':
      throw invalidToken()
  }
}
