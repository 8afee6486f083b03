import { deriveKey } from '../../crypto/secret-keys.js'

/** Keys the second-factor code uses, each derived from the instance secret for one purpose. */
export interface MfaKeys {
  /** AES-256-GCM key sealing TOTP secrets at rest (SEC-MFA-05). */
  readonly totpSecret: Uint8Array
  /** HMAC key for recovery-code hashes (SEC-MFA-06). */
  readonly recoveryCodes: Uint8Array
  /** AES-256-GCM key sealing `mfa_token` tickets (see mfa-challenge.ts). */
  readonly mfaTicket: Uint8Array
}

export function deriveMfaKeys(secret: Uint8Array): MfaKeys {
  return {
    totpSecret: deriveKey(secret, 'totp-secret'),
    recoveryCodes: deriveKey(secret, 'recovery-codes'),
    mfaTicket: deriveKey(secret, 'mfa-ticket'),
  }
}
