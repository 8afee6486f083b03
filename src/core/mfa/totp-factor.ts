// The life of a user's TOTP factor: set up (pending), enabled with a first code, recovery codes
// regenerated, disabled. Re-enrolling is "disable (with a code), then set up again": setup
// refuses while a factor is enabled (SEC-MFA-05), so a secret is never shown after enabling.
import { decryptString, encryptString } from '../../crypto/secret-keys.js'
import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { RequestContext, User } from '../types.js'
import type { MfaStatus, TotpSetup } from './mfa-api.js'
import { assertRecentLogin } from './recent-login.js'
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js'
import { verifySecondFactor } from './second-factor.js'
import { generateTOTPSecret, totpProvisioningURL } from './totp.js'

function alreadyEnabled(): AuthError {
  return new AuthError('mfa_already_enabled', {
    detail: 'Two-factor authentication is already on; turn it off first to set it up again.',
  })
}

function notEnabled(): AuthError {
  return new AuthError('mfa_not_enabled', { detail: 'Two-factor authentication is not on.' })
}

/** The issuer shown in authenticator apps: the host people know this server by. */
function issuerName(ctx: CoreContext): string {
  return new URL(ctx.settings.issuer).hostname
}

function describeSetup(ctx: CoreContext, user: User, secret: string): TotpSetup {
  return { secret, otpauthURL: totpProvisioningURL(secret, issuerName(ctx), user.email) }
}

function recoveryCodeHashes(
  ctx: CoreContext,
  userId: string,
  codes: readonly string[],
): Uint8Array[] {
  return codes.map((code) =>
    hashRecoveryCode(ctx.mfaKeys.recoveryCodes, userId, normalizeRecoveryCode(code) ?? code),
  )
}

export async function setupTotp(ctx: CoreContext, principal: Principal): Promise<TotpSetup> {
  const { user } = principal
  if (user.mfaEnabled) throw alreadyEnabled()
  assertRecentLogin(ctx, principal)
  const secret = generateTOTPSecret()
  const sealed = encryptString(ctx.mfaKeys.totpSecret, secret)
  // The store refuses (false) when a factor is already enabled, even one enabled concurrently.
  if (!(await ctx.store.mfa.savePendingTotp(user.id, sealed, ctx.clock.now()))) {
    throw alreadyEnabled()
  }
  return describeSetup(ctx, user, secret)
}

export async function pendingTotpSetup(
  ctx: CoreContext,
  principal: Principal,
): Promise<TotpSetup | null> {
  const factor = await ctx.store.mfa.findTotp(principal.user.id)
  if (factor === null || factor.enabledAt !== null) return null
  const secret = decryptString(ctx.mfaKeys.totpSecret, factor.secretEncrypted)
  return describeSetup(ctx, principal.user, secret)
}

/** 2FA is on only once a first code from the app has been confirmed (SEC-MFA-05). */
export async function enableTotp(
  ctx: CoreContext,
  principal: Principal,
  code: string,
  req: RequestContext,
): Promise<readonly string[]> {
  const userId = principal.user.id
  const factor = await ctx.store.mfa.findTotp(userId)
  if (factor === null) {
    throw new AuthError('mfa_setup_required', {
      detail: 'Start with POST /auth/2fa/setup, then confirm its code here.',
    })
  }
  if (factor.enabledAt !== null) throw alreadyEnabled()
  const check = { purpose: 'enable', factor: 'pending', allowRecoveryCode: false } as const
  await verifySecondFactor(ctx, userId, code, { ...check, sessionId: principal.session.id }, req)
  const codes = generateRecoveryCodes()
  const hashes = recoveryCodeHashes(ctx, userId, codes)
  const now = ctx.clock.now()
  await ctx.audit.transaction(req, async (tx, record) => {
    if (!(await tx.mfa.enableTotp(userId, now))) throw alreadyEnabled()
    await tx.mfa.replaceRecoveryCodes(userId, hashes, now)
    await record({
      type: 'mfa.enabled',
      userId,
      actorId: userId,
      sessionId: principal.session.id,
      data: { factor: 'totp', recovery_codes: codes.length },
    })
  })
  return codes
}

/** Disabling needs a current code (SEC-MFA-05): a session alone cannot weaken the account. */
export async function disableTotp(
  ctx: CoreContext,
  principal: Principal,
  code: string,
  req: RequestContext,
): Promise<void> {
  const userId = principal.user.id
  if (!principal.user.mfaEnabled) throw notEnabled()
  const check = { purpose: 'disable', factor: 'enabled', allowRecoveryCode: true } as const
  const method = await verifySecondFactor(
    ctx,
    userId,
    code,
    { ...check, sessionId: principal.session.id },
    req,
  )
  await ctx.audit.transaction(req, async (tx, record) => {
    await tx.mfa.disableTotp(userId)
    await record({
      type: 'mfa.disabled',
      userId,
      actorId: userId,
      sessionId: principal.session.id,
      data: { factor: 'totp', method },
    })
  })
}

/** SEC-MFA-06: the new set replaces the old one wholesale, in one step. */
export async function regenerateRecoveryCodes(
  ctx: CoreContext,
  principal: Principal,
  code: string,
  req: RequestContext,
): Promise<readonly string[]> {
  const userId = principal.user.id
  if (!principal.user.mfaEnabled) throw notEnabled()
  const check = { purpose: 'recovery_codes', factor: 'enabled', allowRecoveryCode: true } as const
  await verifySecondFactor(ctx, userId, code, { ...check, sessionId: principal.session.id }, req)
  const codes = generateRecoveryCodes()
  const hashes = recoveryCodeHashes(ctx, userId, codes)
  await ctx.audit.transaction(req, async (tx, record) => {
    await tx.mfa.replaceRecoveryCodes(userId, hashes, ctx.clock.now())
    await record({
      type: 'mfa.recovery_codes_replaced',
      userId,
      actorId: userId,
      sessionId: principal.session.id,
      data: { recovery_codes: codes.length },
    })
  })
  return codes
}

export async function mfaStatus(ctx: CoreContext, principal: Principal): Promise<MfaStatus> {
  const userId = principal.user.id
  const factor = await ctx.store.mfa.findTotp(userId)
  return {
    totpEnabled: factor?.enabledAt != null,
    totpPending: factor !== null && factor.enabledAt === null,
    recoveryCodesLeft: await ctx.store.mfa.countRecoveryCodes(userId),
  }
}
