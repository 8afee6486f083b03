// RFC 6238 TOTP over otpauth's RFC 4226 HOTP. Time comes only from the injected Clock
// (SEC-MFA-02): a client's idea of the time is never asked for.
import { randomBytes } from 'node:crypto'
import { HOTP, Secret, TOTP } from 'otpauth'
import { constantTimeEqual } from '../../crypto/constant-time.js'

export type TOTPAlgorithm = 'SHA1' | 'SHA256' | 'SHA512'

export interface TOTPParams {
  readonly algorithm: TOTPAlgorithm
  readonly digits: number
  readonly periodSeconds: number
}

/**
 * What every authenticator app understands (RFC 6238 §5.2, Google Authenticator's key URI
 * format): apps that ignore `algorithm`/`digits`/`period` still compute the right code.
 */
export const STANDARD_TOTP: TOTPParams = { algorithm: 'SHA1', digits: 6, periodSeconds: 30 }

/** RFC 6238 §5.2: at most one step of drift each way (SEC-MFA-02). */
export const TOTP_WINDOW = 1

/** 160 bits from the CSPRNG, the HMAC-SHA-1 block-size-friendly length RFC 4226 §4 recommends. */
export function generateTOTPSecret(): string {
  return new Secret({ buffer: randomBytes(20).buffer }).base32
}

/** RFC 6238 §4.2: T = floor((now - T0) / X), with T0 = 0. */
export function timeStepAt(now: Date, params: TOTPParams = STANDARD_TOTP): number {
  return Math.floor(now.getTime() / 1000 / params.periodSeconds)
}

/** The code for one time step: HOTP (RFC 4226) with the step as the counter. */
export function totpCodeAtStep(
  secret: Secret,
  step: number,
  params: TOTPParams = STANDARD_TOTP,
): string {
  return HOTP.generate({
    secret,
    algorithm: params.algorithm,
    digits: params.digits,
    counter: step,
  })
}

export function totpCodeAt(secret: Secret, now: Date, params: TOTPParams = STANDARD_TOTP): string {
  return totpCodeAtStep(secret, timeStepAt(now, params), params)
}

/**
 * The time step a code belongs to, within ±TOTP_WINDOW of now, or null. It only says the code is
 * right; whether that step may still be used is the store's atomic decision (SEC-MFA-03).
 */
export function matchTOTPStep(secretBase32: string, code: string, now: Date): number | null {
  const secret = Secret.fromBase32(secretBase32)
  const given = Buffer.from(code, 'utf8')
  const current = timeStepAt(now)
  let matched: number | null = null
  // Every candidate is computed and compared in constant time, whichever matches.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step += 1) {
    const expected = Buffer.from(totpCodeAtStep(secret, step), 'utf8')
    if (constantTimeEqual(expected, given) && matched === null) matched = step
  }
  return matched
}

/** The `otpauth://totp/...` provisioning URI that the QR code carries. */
export function totpProvisioningURL(secretBase32: string, issuer: string, account: string): string {
  return new TOTP({
    issuer,
    label: account,
    secret: Secret.fromBase32(secretBase32),
    algorithm: STANDARD_TOTP.algorithm,
    digits: STANDARD_TOTP.digits,
    period: STANDARD_TOTP.periodSeconds,
  }).toString()
}

/** Six digits, spaces allowed ("123 456" as some apps show it). */
export function looksLikeTOTPCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''))
}
