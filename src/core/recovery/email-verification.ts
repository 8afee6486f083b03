import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import type { RequestContext, User } from '../types.js'
import { enforceLimits, RESEND_PER_ACCOUNT } from './limits.js'
import { acceptConsumed, createLinkToken, invalidToken, linkTokenHash } from './link-token.js'

/** Issues a link for the address the account has now and queues the mail (not awaited). */
export async function sendVerificationMail(ctx: CoreContext, user: User): Promise<void> {
  const { token, tokenHash } = createLinkToken()
  const now = ctx.clock.now()
  const ttl = ctx.settings.emailVerificationTtlSeconds
  await ctx.store.oneTimeTokens.issue({
    tokenHash,
    purpose: 'email_verification',
    userId: user.id,
    // SEC-VERIFY-01: the link proves this address only; after an email change it proves nothing.
    email: user.email,
    data: {},
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttl * 1000),
  })
  ctx.mail.enqueue({ kind: 'verify_email', to: user.email, token, validForSeconds: ttl })
}

/**
 * After sign-up, outside its transaction: the account exists whatever happens here, so a failure
 * is logged and the user can ask again (resend) rather than see the sign-up fail.
 */
export async function offerVerification(ctx: CoreContext, user: User): Promise<void> {
  if (user.emailVerified) return
  try {
    await sendVerificationMail(ctx, user)
  } catch (error) {
    ctx.logger.error({ userId: user.id, err: error }, 'could not issue a verification link')
  }
}

/** 202 whether or not a mail goes out: an already verified address needs none. */
export async function resendVerification(ctx: CoreContext, principal: Principal): Promise<void> {
  const { user } = principal
  await enforceLimits(
    ctx,
    `verify-resend:${user.id}`,
    RESEND_PER_ACCOUNT,
    'A verification mail was sent a moment ago; check your inbox or wait before asking again.',
  )
  if (!user.emailVerified) await sendVerificationMail(ctx, user)
}

/** Consumes the link token and marks the address verified; 400 for anything but a live token. */
export async function verifyEmail(
  ctx: CoreContext,
  token: string,
  req: RequestContext,
): Promise<User> {
  const tokenHash = linkTokenHash(token)
  const now = ctx.clock.now()
  return ctx.audit.transaction(req, async (tx, record) => {
    const consumed = acceptConsumed(
      await tx.oneTimeTokens.consume(tokenHash, 'email_verification', now),
    )
    const user = consumed.userId === null ? null : await tx.users.findById(consumed.userId)
    // Bound to the address it was sent to (SEC-VERIFY-01); thrown inside the transaction, so the
    // consumption is rolled back, which changes nothing: this token can never succeed.
    if (user === null || consumed.email === null || user.email !== consumed.email)
      throw invalidToken()
    if (user.emailVerified) return user
    const updated = await tx.users.update(user.id, { emailVerified: true }, now)
    if (updated === null) throw invalidToken()
    await record({
      type: 'email.verified',
      userId: user.id,
      actorId: user.id,
      data: { via: 'link' },
    })
    return updated
  })
}
