import { hashToHex } from '../../crypto/hash-token.js'
import type { RecordAuditEvent } from '../audit/audit.js'
import type { PasswordResetInput } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError, validationFailed } from '../errors.js'
import type { StoreTx } from '../ports.js'
import type { RequestContext, UserWithPassword } from '../types.js'
import { checkEmail, normalizeEmail } from '../users/email.js'
import { checkPassword } from '../users/password-policy.js'
import type { BackgroundWork } from './background-work.js'
import { enforceLimits, FORGOT_PER_ADDRESS } from './limits.js'
import { acceptConsumed, createLinkToken, invalidToken, linkTokenHash } from './link-token.js'

/**
 * `forgot`. Stay indistinguishable (SEC-ENUM-03): everything before the answer is the same for
 * every well-formed address (normalise, count the per-address limit), and everything that depends
 * on whether an account has it (the lookup, the token write, the audit event, the mail) runs in
 * the background after the caller has been answered. Same status, same body, same time.
 */
export async function requestPasswordReset(
  ctx: CoreContext,
  work: BackgroundWork,
  rawEmail: string,
  req: RequestContext,
): Promise<void> {
  const email = normalizeEmail(rawEmail)
  const emailError = checkEmail(email)
  if (emailError !== null) throw validationFailed([emailError])
  await enforceLimits(
    ctx,
    `forgot:${hashToHex(email)}`,
    FORGOT_PER_ADDRESS,
    'Too many reset requests for this address; wait before asking again.',
  )
  work.run('password reset request', () => issueResetLink(ctx, email, req))
}

async function issueResetLink(ctx: CoreContext, email: string, req: RequestContext): Promise<void> {
  const account = await ctx.store.users.findByEmailWithPassword(email)
  // A disabled account gets no link: a new password would not open it anyway.
  if (account === null || account.disabled) return
  const { token, tokenHash } = createLinkToken()
  const now = ctx.clock.now()
  const ttl = ctx.settings.passwordResetTtlSeconds
  await ctx.audit.transaction(req, async (tx, record) => {
    // SEC-RESET-02: the newest link voids every older one, in the same step.
    await tx.oneTimeTokens.issue(
      {
        tokenHash,
        purpose: 'password_reset',
        userId: account.id,
        email: account.email,
        data: {},
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttl * 1000),
      },
      { voidOthers: true },
    )
    await record({ type: 'password.reset_requested', userId: account.id })
  })
  ctx.mail.enqueue({ kind: 'reset_password', to: account.email, token, validForSeconds: ttl })
}

/**
 * Completes a reset (SEC-RESET-04): the new password, every session (and with it every refresh
 * and access token) ended, other reset links voided, the user told by mail. It does not sign in:
 * the next login needs the new password and, when 2FA is on, the second factor too.
 */
export async function resetPassword(
  ctx: CoreContext,
  input: PasswordResetInput,
  req: RequestContext,
): Promise<void> {
  const tokenHash = linkTokenHash(input.token)
  const limits = {
    minLength: ctx.settings.passwordMinLength,
    maxLength: ctx.settings.passwordMaxLength,
  }
  // The rules that need no account first, so a weak password costs no hash.
  const early = checkPassword(input.newPassword, limits, {}, '/new_password')
  if (early !== null) throw validationFailed([early])
  // Hash first, then write (design.md): the transaction never waits on argon2.
  const passwordHash = await ctx.hasher.hash(input.newPassword)
  const now = ctx.clock.now()
  const account = await ctx.audit.transaction(req, async (tx, record) => {
    const consumed = acceptConsumed(
      await tx.oneTimeTokens.consume(tokenHash, 'password_reset', now),
    )
    const found =
      consumed.userId === null ? null : await tx.users.findByIdWithPassword(consumed.userId)
    // Bound to the address it was mailed to: after an email change the old inbox holds no key.
    if (found === null || found.email !== consumed.email) throw invalidToken()
    // Refusals below are thrown inside the transaction, so the link is not spent by them.
    if (found.disabled)
      throw new AuthError('account_disabled', { detail: 'This account has been disabled.' })
    const error = checkPassword(input.newPassword, limits, found, '/new_password')
    if (error !== null) throw validationFailed([error])
    await completeReset(tx, record, found, passwordHash, now)
    return found
  })
  ctx.mail.enqueue({ kind: 'password_reset', to: account.email, at: now })
}

async function completeReset(
  tx: StoreTx,
  record: RecordAuditEvent,
  account: UserWithPassword,
  passwordHash: string,
  now: Date,
): Promise<void> {
  // The link reached this inbox, which proves the address as well as a verification link would.
  await tx.users.update(account.id, { passwordHash, emailVerified: true }, now)
  const revoked = await tx.sessions.revokeAllForUser(account.id, 'password_reset', now)
  await tx.oneTimeTokens.voidForUser(account.id, 'password_reset', now)
  await record({
    type: 'password.reset_completed',
    userId: account.id,
    data: { sessions_revoked: revoked.length },
  })
  if (!account.emailVerified) {
    await record({ type: 'email.verified', userId: account.id, data: { via: 'password_reset' } })
  }
}
