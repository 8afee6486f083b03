import { hashToHex } from '../../crypto/hash-token.js'
import type { LoginInput, LoginResult } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import { finishPrimaryLogin } from '../mfa/mfa-challenge.js'
import type { RequestContext, UserWithPassword } from '../types.js'
import { normalizeEmail } from './email.js'
import { usernameKey } from './username.js'

function identifierOf(input: LoginInput): { kind: 'email' | 'username'; value: string } {
  if (input.email !== undefined) return { kind: 'email', value: normalizeEmail(input.email) }
  return { kind: 'username', value: usernameKey(input.username ?? '') }
}

async function findAccount(
  ctx: CoreContext,
  id: { kind: 'email' | 'username'; value: string },
): Promise<UserWithPassword | null> {
  if (id.value.length === 0 || id.value.length > 254) return null
  return id.kind === 'email'
    ? ctx.store.users.findByEmailWithPassword(id.value)
    : ctx.store.users.findByUsernameKeyWithPassword(id.value)
}

/** The one answer for every failure before the password is known right (SEC-ENUM-01). */
function invalidCredentials(): AuthError {
  return new AuthError('invalid_credentials', {
    detail: 'The email, username or password is not right.',
  })
}

/**
 * Stay indistinguishable: an unknown user, a user without a password and a wrong password all
 * cost one argon2id verification and end in the same `invalid_credentials`. The per-account
 * throttle is keyed by the identifier as typed (normalised), known or not, so it neither reveals
 * which accounts exist nor depends on the caller's IP.
 */
export async function loginWithPassword(
  ctx: CoreContext,
  input: LoginInput,
  req: RequestContext,
): Promise<LoginResult> {
  const identifier = identifierOf(input)
  // Overload (SEC-RATE-05): when the hash pool would refuse the check anyway, refuse before any
  // database work, so a flood of logins costs the event loop as little as possible.
  if (ctx.hasher.saturated?.() === true) {
    throw new AuthError('service_unavailable', {
      detail: 'The server is busy checking passwords; try again shortly.',
      retryAfterSeconds: 1,
    })
  }
  const throttleKey = hashToHex(`login:${identifier.kind}:${identifier.value}`)
  if (ctx.settings.rateLimit) {
    const decision = await ctx.store.loginThrottle.registerAttempt(
      throttleKey,
      ctx.clock.now(),
      ctx.settings.loginThrottle,
    )
    if (!decision.allowed) {
      throw new AuthError('rate_limited', {
        detail: 'Too many failed sign-in attempts for this account; wait before trying again.',
        retryAfterSeconds: decision.retryAfterSeconds,
      })
    }
  }
  const account = await findAccount(ctx, identifier)
  if (account === null || account.passwordHash === null) {
    await ctx.hasher.verifyDummy(input.password, req.signal)
    await ctx.audit.transaction(req, async (_tx, record) => {
      await record({
        type: 'user.login_failed',
        userId: account?.id ?? null,
        data: { reason: account ? 'no_password' : 'unknown_user' },
      })
    })
    throw invalidCredentials()
  }
  const verdict = await ctx.hasher.verify(account.passwordHash, input.password, req.signal)
  if (!verdict.valid) {
    await ctx.audit.transaction(req, async (_tx, record) => {
      await record({
        type: 'user.login_failed',
        userId: account.id,
        data: { reason: 'bad_password' },
      })
    })
    throw invalidCredentials()
  }
  if (ctx.settings.rateLimit) await ctx.store.loginThrottle.clear(throttleKey)
  // Told only to a caller who proved the password (SEC-ENUM-01).
  if (account.disabled)
    throw new AuthError('account_disabled', { detail: 'This account has been disabled.' })
  if (ctx.settings.requireEmailVerification && !account.emailVerified) {
    throw new AuthError('email_not_verified', {
      detail: 'Verify your email address before signing in.',
    })
  }
  if (verdict.needsRehash) await upgradeHash(ctx, account, input.password, req)
  const { passwordHash: _omit, ...user } = account
  // With 2FA on, only an mfa_token: no session before the second factor (SEC-MFA-07).
  return finishPrimaryLogin(ctx, user, req, 'password')
}

/** Imported bcrypt or weaker argon2 hashes become argon2id at current parameters (SEC-PWD-05). */
async function upgradeHash(
  ctx: CoreContext,
  account: UserWithPassword,
  password: string,
  req: RequestContext,
): Promise<void> {
  const passwordHash = await ctx.hasher.hash(password)
  await ctx.audit.transaction(req, async (tx, record) => {
    await tx.users.update(account.id, { passwordHash }, ctx.clock.now())
    await record({
      type: 'password.rehashed',
      userId: account.id,
      data: { from: account.passwordHash?.split('$')[1] ?? 'unknown' },
    })
  })
}
