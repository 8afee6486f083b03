import type { AuditTrail } from './audit/audit.js'
import type { AuthSettings } from './auth-options.js'
import type { Clock, Logger, PasswordHasher, RateLimiter, Store } from './ports.js'
import type { SigningKeyRing } from './tokens/signing-keys.js'

/** What the core services share; built once by createAuth. */
export interface CoreContext {
  readonly settings: AuthSettings
  readonly store: Store
  readonly hasher: PasswordHasher
  readonly rateLimiter: RateLimiter
  readonly clock: Clock
  readonly logger: Logger
  readonly audit: AuditTrail
  readonly keys: SigningKeyRing
  /** HMAC key deriving refresh-token successors (see tokens/refresh-token.ts). */
  readonly rotationKey: Uint8Array
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

export const systemClock: Clock = { now: () => new Date() }
