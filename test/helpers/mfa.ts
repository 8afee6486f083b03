// What the two-factor tests share: the code an authenticator app would show at a given time.
import { Secret } from 'otpauth'
import { totpCodeAt } from '../../src/core/mfa/totp.ts'
import { AuthError } from '../../src/core/errors.ts'

/** The 6-digit code for a base32 secret at `at` (what the user's phone shows). */
export function codeAt(secret: string, at: Date): string {
  return totpCodeAt(Secret.fromBase32(secret), at)
}

/** The code of the step after `at`'s: a fresh code once `at`'s has been used. */
export function nextCode(secret: string, at: Date): string {
  return codeAt(secret, new Date(at.getTime() + 30_000))
}

/** The AuthError code a promise rejects with, or 'ok'. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    if (error instanceof AuthError) return error.code
    throw error
  }
}
