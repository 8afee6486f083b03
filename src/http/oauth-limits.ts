import type { RateLimitRule } from './rate-limit.js'

// Per-IP limits for social sign-in (SEC-RATE-05). Each start writes a one-time state row and may
// trigger discovery; each callback and ID-token sign-in calls the provider. A person needs a few.

export const OAUTH_START_LIMITS: readonly RateLimitRule[] = [
  { name: 'oauth-start', limit: 30, windowSeconds: 60 },
  { name: 'oauth-start', limit: 300, windowSeconds: 3600 },
]

export const OAUTH_CALLBACK_LIMITS: readonly RateLimitRule[] = [
  { name: 'oauth-callback', limit: 30, windowSeconds: 60 },
]

export const OAUTH_TOKEN_LIMITS: readonly RateLimitRule[] = [
  { name: 'oauth-token', limit: 20, windowSeconds: 60 },
  { name: 'oauth-token', limit: 200, windowSeconds: 3600 },
]
