import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'

export interface RecoveryLimit {
  readonly limit: number
  readonly windowSeconds: number
}

/**
 * `forgot`, per address. The key is a hash of the normalised address, counted whether or not an
 * account has it, so a 429 says nothing about who is registered (SEC-ENUM-03) and the limiter
 * holds no addresses. It also caps how much mail anyone can send to a victim's inbox. Temporary
 * by design (SEC-RATE-04): the owner can ask again within the hour.
 */
export const FORGOT_PER_ADDRESS: readonly RecoveryLimit[] = [
  { limit: 3, windowSeconds: 15 * 60 },
  { limit: 10, windowSeconds: 24 * 3600 },
]

/** Verification resends, per account: a lost mail is asked for again once or twice. */
export const RESEND_PER_ACCOUNT: readonly RecoveryLimit[] = [{ limit: 3, windowSeconds: 15 * 60 }]

/** Counts one hit on every window of `key`; throws `rate_limited` once any is full. */
export async function enforceLimits(
  ctx: CoreContext,
  key: string,
  limits: readonly RecoveryLimit[],
  detail: string,
): Promise<void> {
  if (!ctx.settings.rateLimit) return
  for (const rule of limits) {
    const decision = await ctx.rateLimiter.hit(
      `${key}:${rule.windowSeconds}`,
      rule.limit,
      rule.windowSeconds,
    )
    if (!decision.allowed) {
      throw new AuthError('rate_limited', { detail, retryAfterSeconds: decision.retryAfterSeconds })
    }
  }
}
