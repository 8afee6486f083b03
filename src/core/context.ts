import type { AuditTrail } from './audit/audit.js'
import type { AuthSettings } from './auth-options.js'
import type {
  Clock,
  Logger,
  MailQueue,
  PasswordHasher,
  RateLimiter,
  SessionCache,
  Store,
} from './ports.js'
import type { MfaKeys } from './mfa/mfa-keys.js'
import type { SigningKeyRing } from './tokens/signing-keys.js'

/** What the core services share; built once by createAuth. */
export interface CoreContext {
  readonly settings: AuthSettings
  readonly store: Store
  readonly hasher: PasswordHasher
  readonly rateLimiter: RateLimiter
  /** Null without Redis: every request then reads the store (one indexed lookup). */
  readonly sessionCache: SessionCache | null
  readonly clock: Clock
  readonly logger: Logger
  readonly audit: AuditTrail
  /** Account mail, delivered in the background (never awaited by a request). */
  readonly mail: MailQueue
  readonly keys: SigningKeyRing
  /** HMAC key deriving refresh-token successors (see tokens/refresh-token.ts). */
  readonly rotationKey: Uint8Array
  /** Keys for TOTP secrets, recovery codes and mfa_token tickets (mfa/mfa-keys.ts). */
  readonly mfaKeys: MfaKeys
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

export const systemClock: Clock = { now: () => new Date() }

/** For library users who wire no mailer: says, without the content, that a mail was not sent. */
export function discardingMailQueue(logger: Logger): MailQueue {
  return {
    enqueue: (mail) => logger.warn({ mail: mail.kind }, 'no mailer configured; mail not sent'),
  }
}
