// Checking a second-factor code (TOTP or recovery code) for one account: the attempt limit
// (SEC-MFA-04), the single-use rules (SEC-MFA-03, SEC-MFA-06) and the `mfa.failed` event.
import { hashToHex } from '../../crypto/hash-token.js'
import { decryptString } from '../../crypto/secret-keys.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { RequestContext } from '../types.js'
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js'
import { looksLikeTOTPCode, matchTOTPStep } from './totp.js'

export type SecondFactorMethod = 'totp' | 'recovery_code'

/** What the code is for; recorded on `mfa.failed` (never the code itself). */
export type SecondFactorPurpose = 'login' | 'enable' | 'disable' | 'recovery_codes'

export interface SecondFactorCheck {
  readonly purpose: SecondFactorPurpose
  /** `pending`: the unconfirmed factor of a set-up (enable); `enabled`: the active one. */
  readonly factor: 'pending' | 'enabled'
  readonly allowRecoveryCode: boolean
  readonly sessionId?: string | null
}

function mfaThrottleKey(userId: string): string {
  return hashToHex(`mfa:${userId}`)
}

/**
 * Counted before the check, like the password throttle, so parallel guesses cannot all slip in
 * before the first failure is recorded. Keyed by the account, not the mfa_token or the IP: a
 * stolen ticket, or many tickets, share one budget. It stays on even with RATE_LIMIT=off, since
 * no proxy in front of us can count wrong codes per account: 10^6 codes are otherwise a few
 * hours of guessing.
 */
async function registerAttempt(ctx: CoreContext, userId: string): Promise<void> {
  const decision = await ctx.store.loginThrottle.registerAttempt(
    mfaThrottleKey(userId),
    ctx.clock.now(),
    ctx.settings.loginThrottle,
  )
  if (!decision.allowed) {
    throw new AuthError('rate_limited', {
      detail: 'Too many wrong codes for this account; wait before trying again.',
      retryAfterSeconds: decision.retryAfterSeconds,
    })
  }
}

async function checkTOTP(
  ctx: CoreContext,
  userId: string,
  code: string,
  factorState: SecondFactorCheck['factor'],
): Promise<boolean> {
  const factor = await ctx.store.mfa.findTotp(userId)
  if (factor === null || (factor.enabledAt === null) !== (factorState === 'pending')) return false
  const secret = decryptString(ctx.mfaKeys.totpSecret, factor.secretEncrypted)
  const step = matchTOTPStep(secret, code.replace(/\s/g, ''), ctx.clock.now())
  // SEC-MFA-03: the store refuses a step at or below the last accepted one, atomically.
  return step !== null && (await ctx.store.mfa.acceptTotpStep(userId, step))
}

async function checkRecoveryCode(ctx: CoreContext, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code)
  if (normalized === null) return false
  const hash = hashRecoveryCode(ctx.mfaKeys.recoveryCodes, userId, normalized)
  // SEC-MFA-06: spending is one conditional update, so of two racing uses exactly one wins.
  return ctx.store.mfa.useRecoveryCode(userId, hash, ctx.clock.now())
}

/**
 * Verifies `code` for `userId`, or throws `invalid_mfa_code` (wrong, replayed or spent) or
 * `rate_limited`. Six digits are a TOTP code; anything else may be a recovery code.
 */
export async function verifySecondFactor(
  ctx: CoreContext,
  userId: string,
  code: string,
  check: SecondFactorCheck,
  req: RequestContext,
): Promise<SecondFactorMethod> {
  await registerAttempt(ctx, userId)
  let method: SecondFactorMethod | null = null
  if (looksLikeTOTPCode(code)) {
    if (await checkTOTP(ctx, userId, code, check.factor)) method = 'totp'
  } else if (check.allowRecoveryCode && (await checkRecoveryCode(ctx, userId, code))) {
    method = 'recovery_code'
  }
  if (method === null) {
    await ctx.audit.transaction(req, async (_tx, record) => {
      await record({
        type: 'mfa.failed',
        userId,
        sessionId: check.sessionId ?? null,
        data: { purpose: check.purpose },
      })
    })
    throw new AuthError('invalid_mfa_code', {
      detail: 'The code is not right, or it has already been used.',
    })
  }
  await ctx.store.loginThrottle.clear(mfaThrottleKey(userId))
  return method
}
