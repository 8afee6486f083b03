import { Secret, TOTP } from 'otpauth'
import type { Output } from '../output.js'
import { UsageError } from '../usage.js'

/** The current RFC 6238 code (SHA-1, 6 digits, 30 s), as authenticator apps show it. */
export function currentTOTPCode(base32Secret: string, timestamp: number = Date.now()): string {
  const normalised = base32Secret.replace(/[\s-]/g, '').toUpperCase()
  if (!/^[A-Z2-7]+=*$/.test(normalised))
    throw new UsageError('otp: SECRET must be base32 (A-Z, 2-7)')
  const totp = new TOTP({
    secret: Secret.fromBase32(normalised),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  })
  return totp.generate({ timestamp })
}

export function runOTP(secret: string, output: Output): number {
  output.out(currentTOTPCode(secret))
  return 0
}
