import type { RateLimitRule } from './rate-limit.js'

// Per-IP limits for the second-factor and passkey endpoints (SEC-RATE-05). Wrong codes are also
// limited per account in core (SEC-MFA-04); these stop one address from spreading guesses over
// many accounts, and bound the cost of the rest.

/**
 * Code guesses, and set-ups (each renders a QR code): a person retyping a code stays far below.
 */
export const MFA_CODE_LIMITS: readonly RateLimitRule[] = [
  { name: 'mfa-code', limit: 20, windowSeconds: 60 },
  { name: 'mfa-code', limit: 200, windowSeconds: 3600 },
]

/** Each options call stores a challenge row, each verify costs a signature check. */
export const PASSKEY_LIMITS: readonly RateLimitRule[] = [
  { name: 'passkey', limit: 30, windowSeconds: 60 },
  { name: 'passkey', limit: 300, windowSeconds: 3600 },
]
