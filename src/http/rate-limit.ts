import { isIPv6 } from 'node:net'
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { AuthError } from '../core/errors.js'
import type { RateLimiter } from '../core/ports.js'

export interface RateLimitRule {
  /** Part of the limiter key; one name per endpoint family. */
  readonly name: string
  readonly limit: number
  readonly windowSeconds: number
}

// Per-IP limits (SEC-RATE-02, SEC-RATE-05). Per-account throttling is core's, inside login.
// A short window stops bursts; the hourly one caps a slow, steady sweep from one address.

/** A person mistyping, or a NAT of a few dozen users, stays far below; spraying does not. */
export const LOGIN_LIMITS: readonly RateLimitRule[] = [
  { name: 'login', limit: 20, windowSeconds: 60 },
  { name: 'login', limit: 200, windowSeconds: 3600 },
]

/** Registration answers 409 for a taken email, so it is what an address sweep would use (SEC-ENUM-03). */
export const REGISTER_LIMITS: readonly RateLimitRule[] = [
  { name: 'register', limit: 10, windowSeconds: 60 },
  { name: 'register', limit: 50, windowSeconds: 3600 },
]

/** Refresh tokens cannot be guessed (256 bits); this only bounds the cost of a flood. */
export const REFRESH_LIMITS: readonly RateLimitRule[] = [
  { name: 'refresh', limit: 60, windowSeconds: 60 },
]

/** Each attempt costs an argon2id verify and guesses the current password. */
export const PASSWORD_CHANGE_LIMITS: readonly RateLimitRule[] = [
  { name: 'password-change', limit: 10, windowSeconds: 60 },
]

/**
 * Forgot-password, per address of the caller; core also limits per email address (hashed,
 * counted for unknown addresses too), so neither a sweep nor a mail flood gets far.
 */
export const FORGOT_PASSWORD_LIMITS: readonly RateLimitRule[] = [
  { name: 'password-forgot', limit: 10, windowSeconds: 60 },
  { name: 'password-forgot', limit: 50, windowSeconds: 3600 },
]

/** Each attempt costs an argon2id hash; the token itself (256 bits) cannot be guessed. */
export const PASSWORD_RESET_LIMITS: readonly RateLimitRule[] = [
  { name: 'password-reset', limit: 10, windowSeconds: 60 },
  { name: 'password-reset', limit: 50, windowSeconds: 3600 },
]

/** Link tokens cannot be guessed; this bounds the cost of a flood (SEC-RATE-05). */
export const VERIFY_EMAIL_LIMITS: readonly RateLimitRule[] = [
  { name: 'email-verify', limit: 20, windowSeconds: 60 },
]

/** Each resend writes a token and sends a mail; core also limits it per account. */
export const RESEND_VERIFICATION_LIMITS: readonly RateLimitRule[] = [
  { name: 'email-resend', limit: 10, windowSeconds: 60 },
]

/**
 * The key for an address. `request.ip` is the socket's address unless TRUST_PROXY names the
 * proxy, so a forged X-Forwarded-For cannot pick the key (SEC-RATE-03). IPv6 is keyed by its /64:
 * one host usually holds a whole /64 and could otherwise rotate addresses freely.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1] !== undefined) return mapped[1]
  if (!isIPv6(ip)) return ip
  const [head = '', tail = ''] = ip.split('%', 1)[0]?.split('::') ?? []
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/** An onRequest hook: runs before the body is read, so a refused flood costs no parsing. */
export function rateLimit(
  limiter: RateLimiter,
  enabled: boolean,
  rules: readonly RateLimitRule[],
): onRequestAsyncHookHandler {
  return async function checkRateLimit(request: FastifyRequest) {
    if (!enabled) return
    const client = clientKey(request.ip)
    for (const rule of rules) {
      const key = `ip:${rule.name}:${rule.windowSeconds}:${client}`
      const decision = await limiter.hit(key, rule.limit, rule.windowSeconds)
      if (!decision.allowed) {
        throw new AuthError('rate_limited', {
          detail: 'Too many requests from this address; wait before trying again.',
          retryAfterSeconds: decision.retryAfterSeconds,
        })
      }
    }
  }
}
