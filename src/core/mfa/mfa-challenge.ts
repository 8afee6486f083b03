// The step between a right password and a session when 2FA is on (SEC-MFA-07, SEC-SESS-08).
//
// The `mfa_token` is a ticket sealed with AES-256-GCM under a key derived from the instance
// secret: {user id, expiry, primary method, nonce}. Sealing makes it unforgeable, so a wrong code
// is counted against an account only for someone who really passed the password step (a forged
// ticket cannot be used to lock a victim's MFA out). Its SHA-256 is also kept as a one-time
// token (purpose `mfa_login`), which is consumed when the code is right: single use, and
// voided by the next login's ticket. It is no credential anywhere else: bearer tokens must be
// JWTs under our signing keys and cookies `id.secret` session tokens, so it opens nothing.
import { hashToken } from '../../crypto/hash-token.js'
import { generateRandomToken } from '../../crypto/random.js'
import { decryptString, encryptString } from '../../crypto/secret-keys.js'
import type { IssuedTokens, LoginResult } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import { startSession } from '../sessions/start-session.js'
import type { RequestContext, User } from '../types.js'
import type { MfaLoginInput } from './mfa-api.js'
import { verifySecondFactor } from './second-factor.js'

/** Five minutes: long enough to open an authenticator app, short enough to be useless later. */
export const MFA_TOKEN_TTL_SECONDS = 5 * 60

/** How the first factor was proven; the session's login method becomes e.g. `password+totp`. */
export type PrimaryMethod = 'password' | 'oauth'

interface Ticket {
  readonly userId: string
  readonly expiresAtMs: number
  readonly method: PrimaryMethod
}

function invalidTicket(): AuthError {
  return new AuthError('invalid_mfa_token', {
    detail: 'The sign-in has expired or was already completed; sign in again.',
  })
}

function sealTicket(ctx: CoreContext, ticket: Ticket): string {
  const payload = {
    u: ticket.userId,
    e: ticket.expiresAtMs,
    m: ticket.method,
    n: generateRandomToken(16),
  }
  return encryptString(ctx.mfaKeys.mfaTicket, JSON.stringify(payload))
}

function openTicket(ctx: CoreContext, mfaToken: string): Ticket | null {
  let payload: unknown
  try {
    payload = JSON.parse(decryptString(ctx.mfaKeys.mfaTicket, mfaToken))
  } catch {
    return null // malformed, tampered with, or sealed under another instance secret
  }
  if (typeof payload !== 'object' || payload === null) return null
  const userId: unknown = Reflect.get(payload, 'u')
  const expiresAtMs: unknown = Reflect.get(payload, 'e')
  const method: unknown = Reflect.get(payload, 'm')
  if (typeof userId !== 'string' || typeof expiresAtMs !== 'number') return null
  if (method !== 'password' && method !== 'oauth') return null
  return { userId, expiresAtMs, method }
}

/** The ticket for a user whose first factor is proven; no session exists yet. */
export async function issueMfaChallenge(
  ctx: CoreContext,
  user: User,
  method: PrimaryMethod,
): Promise<Extract<LoginResult, { kind: 'mfa_required' }>> {
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + MFA_TOKEN_TTL_SECONDS * 1000)
  const mfaToken = sealTicket(ctx, { userId: user.id, expiresAtMs: expiresAt.getTime(), method })
  await ctx.store.oneTimeTokens.issue(
    {
      tokenHash: hashToken(mfaToken),
      purpose: 'mfa_login',
      userId: user.id,
      email: null,
      data: { method },
      createdAt: now,
      expiresAt,
    },
    // One open ticket per account: an older one stops working.
    { voidOthers: true },
  )
  return { kind: 'mfa_required', mfaToken, expiresAt }
}

/**
 * Where every primary login ends: a session, or, with 2FA on, only a ticket. Other primary
 * logins (social login) must end here too, so that no path skips the second factor.
 */
export async function finishPrimaryLogin(
  ctx: CoreContext,
  user: User,
  req: RequestContext,
  method: PrimaryMethod,
): Promise<LoginResult> {
  if (user.mfaEnabled) return issueMfaChallenge(ctx, user, method)
  const tokens = await startSession(ctx, user, req, 'user.login_succeeded', { method })
  return { kind: 'tokens', tokens }
}

export async function completeMfaLogin(
  ctx: CoreContext,
  input: MfaLoginInput,
  req: RequestContext,
): Promise<IssuedTokens> {
  const ticket = openTicket(ctx, input.mfaToken)
  if (ticket === null || ticket.expiresAtMs <= ctx.clock.now().getTime()) throw invalidTicket()
  const user = await ctx.store.users.findById(ticket.userId)
  if (user === null) throw invalidTicket()
  if (user.disabled)
    throw new AuthError('account_disabled', { detail: 'This account has been disabled.' })
  const check = { purpose: 'login', factor: 'enabled', allowRecoveryCode: true } as const
  const factor = await verifySecondFactor(ctx, user.id, input.code, check, req)
  // Consumed only now, so a mistyped code does not cost the ticket; of two right codes racing
  // with one ticket, exactly one gets a session.
  const consumed = await ctx.store.oneTimeTokens.consume(
    hashToken(input.mfaToken),
    'mfa_login',
    ctx.clock.now(),
  )
  if (consumed?.kind !== 'consumed' || consumed.userId !== user.id) throw invalidTicket()
  return startSession(ctx, user, req, 'user.login_succeeded', {
    method: `${ticket.method}+${factor}`,
  })
}
