// The one place that reads configuration. It is parsed once at start, checked, and frozen; a bad
// value stops the start with one line naming the variable (docs/configuration.md lists them all).
// Pure: it reads only the object it is given, so tests pass a plain object. `.env` is loaded by
// the entry point (src/cli/main.ts), not here.
import { availableParallelism } from 'node:os'
import type { AuthSettings, SessionPolicy } from '../core/auth-options.js'
import type { Config, HttpSettings, MailSettings } from './config.js'
import { ConfigError } from './config-error.js'
import { deepFreeze } from './deep-freeze.js'
import {
  type Env,
  parseBoolean,
  parseDurationSeconds,
  parseEnum,
  parseInteger,
  readVar,
  showValue,
  withDefault,
} from './parse.js'
import {
  isLoopbackURL,
  parseDatabaseURL,
  parseOrigins,
  parsePublicURL,
  parseRedisURL,
  parseTrustProxy,
} from './parse-network.js'
import { loadMetricsSettings, parseIntrospectionClients } from './parse-operations.js'
import { parseMailFrom, parseSMTPURL } from './parse-mail.js'
import { parseProfileFields } from './profile-fields.js'
import { parseSecretKey } from './parse-secret-key.js'
import { loadOAuthProviders } from './oauth-providers.js'

export { ConfigError, isConfigError } from './config-error.js'
export type { Env } from './parse.js'

const MINUTE = 60
const HOUR = 3600
const DAY = 86_400

export const DEFAULT_DATABASE_URL = 'sqlite:./data/latchkey.db'
export const DEFAULT_SECRET_KEY_FILE = './data/latchkey.secret'
/** Loopback only (IPv4 and IPv6): a fresh checkout is not reachable from the network by accident. */
export const DEFAULT_HOST = 'localhost'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const integer =
  (min: number, max: number) =>
  (raw: string, name: string): number =>
    parseInteger(name, raw, min, max)
const duration =
  (min: number, max: number) =>
  (raw: string, name: string): number =>
    parseDurationSeconds(name, raw, min, max)
const boolean = (raw: string, name: string): boolean => parseBoolean(name, raw)

/** `single`, `multiple` or `multiple:N` (the oldest sessions beyond N are ended). */
export function parseSessionPolicy(name: string, raw: string): SessionPolicy {
  const match = /^(single|multiple)(?::(\d{1,4}))?$/i.exec(raw)
  const kind = match?.[1]?.toLowerCase()
  const max = match?.[2] === undefined ? null : Number(match[2])
  if (kind === 'single' && max === null) return { kind: 'single' }
  if (kind === 'multiple' && (max === null || max >= 1)) return { kind: 'multiple', max }
  throw new ConfigError(
    name,
    `expected single, multiple or multiple:N (N ≥ 1), got ${showValue(raw)}`,
  )
}

// Goes into key names and a pub/sub channel: no spaces, quotes or wildcards.
function parseRedisKeyPrefix(raw: string, name: string): string {
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(raw)) {
    throw new ConfigError(
      name,
      `expected up to 64 letters, digits or : _ . -, such as latchkey:, got ${showValue(raw)}`,
    )
  }
  return raw
}

function parseHost(raw: string, name: string): string {
  if (!/^[A-Za-z0-9.:_-]+$/.test(raw)) {
    throw new ConfigError(
      name,
      `expected a host name or IP address such as 0.0.0.0, got ${showValue(raw)}`,
    )
  }
  return raw
}

function loadPublicURL(env: Env, port: number, production: boolean): string {
  const publicUrl = withDefault(env, 'PUBLIC_URL', `http://localhost:${port}`, (raw, name) =>
    parsePublicURL(name, raw),
  )
  // Session cookies are Secure (`__Host-`), which browsers honour over plain http only on loopback.
  if (production && publicUrl.startsWith('http:') && !isLoopbackURL(publicUrl)) {
    throw new ConfigError(
      'PUBLIC_URL',
      `must be https when NODE_ENV=production, got ${showValue(publicUrl)}`,
    )
  }
  return publicUrl
}

function loadAuthSettings(env: Env, publicUrl: string): AuthSettings {
  const passwordMaxLength = withDefault(env, 'PASSWORD_MAX_LENGTH', 128, integer(64, 4096))
  const baseDelaySeconds = withDefault(env, 'LOGIN_THROTTLE_BASE_DELAY', 1, duration(1, HOUR))
  return {
    issuer: publicUrl,
    audience: publicUrl,
    accessTokenTtlSeconds: withDefault(env, 'ACCESS_TOKEN_TTL', 15 * MINUTE, duration(1, DAY)),
    refreshTokenTtlSeconds: withDefault(env, 'REFRESH_TOKEN_TTL', 7 * DAY, duration(1, 365 * DAY)),
    sessionIdleTimeoutSeconds: withDefault(
      env,
      'SESSION_IDLE_TIMEOUT',
      7 * DAY,
      duration(1, 365 * DAY),
    ),
    sessionMaxAgeSeconds: withDefault(env, 'SESSION_MAX_AGE', 30 * DAY, duration(1, 365 * DAY)),
    // A long grace window would let a stolen refresh token ride along unnoticed.
    refreshReuseGraceSeconds: withDefault(env, 'REFRESH_REUSE_GRACE', 10, duration(0, 5 * MINUTE)),
    sessionPolicy: withDefault<SessionPolicy>(
      env,
      'SESSION_POLICY',
      { kind: 'single' },
      (raw, name) => parseSessionPolicy(name, raw),
    ),
    // NIST SP 800-63B rev. 4: 15 for single-factor passwords, never below 8.
    passwordMinLength: withDefault(env, 'PASSWORD_MIN_LENGTH', 15, integer(8, passwordMaxLength)),
    passwordMaxLength,
    profileFields: withDefault(env, 'PROFILE_FIELDS', [], (raw, name) =>
      parseProfileFields(name, raw),
    ),
    requireEmailVerification: withDefault(env, 'REQUIRE_EMAIL_VERIFICATION', false, boolean),
    emailVerificationTtlSeconds: withDefault(
      env,
      'EMAIL_VERIFICATION_TTL',
      DAY,
      duration(5 * MINUTE, 30 * DAY),
    ),
    // SEC-RESET-02: 30 minutes by default; a reset link is a password, so it stays short-lived.
    passwordResetTtlSeconds: withDefault(
      env,
      'PASSWORD_RESET_TTL',
      30 * MINUTE,
      duration(MINUTE, DAY),
    ),
    rateLimit: withDefault(env, 'RATE_LIMIT', true, boolean),
    loginThrottle: {
      freeAttempts: withDefault(env, 'LOGIN_THROTTLE_FREE_ATTEMPTS', 5, integer(1, 100)),
      baseDelaySeconds,
      maxDelaySeconds: withDefault(
        env,
        'LOGIN_THROTTLE_MAX_DELAY',
        Math.max(15 * MINUTE, baseDelaySeconds),
        duration(baseDelaySeconds, DAY),
      ),
    },
  }
}

function loadHttpSettings(env: Env, publicUrl: string, production: boolean): HttpSettings {
  return {
    publicUrl,
    https: publicUrl.startsWith('https:'),
    corsOrigins: withDefault(env, 'CORS_ORIGINS', [], (raw, name) => parseOrigins(name, raw)),
    bodyLimitBytes: withDefault(env, 'BODY_LIMIT', 64 * 1024, integer(1024, 10 * 1024 * 1024)),
    production,
  }
}

export const DEFAULT_MAIL_FROM = 'Latchkey <no-reply@localhost>'

function loadMailSettings(env: Env): MailSettings {
  return {
    // Without it mail goes to the dev outbox; `latchkey serve` refuses that in production.
    smtpUrl: withDefault<string | null>(env, 'SMTP_URL', null, (raw, name) =>
      parseSMTPURL(name, raw),
    ),
    from: withDefault(
      env,
      'MAIL_FROM',
      parseMailFrom('MAIL_FROM', DEFAULT_MAIL_FROM),
      (raw, name) => parseMailFrom(name, raw),
    ),
  }
}

/**
 * Reads, checks and freezes the configuration.
 * @throws ConfigError with a one-line message naming the variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const port = withDefault(env, 'PORT', 3000, integer(1, 65_535))
  const production = readVar(env, 'NODE_ENV') === 'production'
  const publicUrl = loadPublicURL(env, port, production)
  const passwordHashThreads = withDefault(
    env,
    'PASSWORD_HASH_THREADS',
    availableParallelism(),
    integer(1, 256),
  )
  const config: Config = {
    port,
    host: withDefault(env, 'HOST', DEFAULT_HOST, parseHost),
    databaseUrl: withDefault(env, 'DATABASE_URL', DEFAULT_DATABASE_URL, (raw, name) =>
      parseDatabaseURL(name, raw),
    ),
    redisUrl: withDefault<string | null>(env, 'REDIS_URL', null, (raw, name) =>
      parseRedisURL(name, raw),
    ),
    redisKeyPrefix: withDefault(env, 'REDIS_KEY_PREFIX', 'latchkey:', parseRedisKeyPrefix),
    secretKey: withDefault<Uint8Array | null>(env, 'SECRET_KEY', null, (raw, name) =>
      parseSecretKey(name, raw),
    ),
    secretKeyFile: readVar(env, 'SECRET_KEY_FILE') ?? DEFAULT_SECRET_KEY_FILE,
    auditLogFile: readVar(env, 'AUDIT_LOG_FILE') ?? null,
    logLevel: withDefault(env, 'LOG_LEVEL', 'info', (raw, name) =>
      parseEnum(name, raw, LOG_LEVELS),
    ),
    trustProxy: withDefault<false | string[]>(env, 'TRUST_PROXY', false, (raw, name) =>
      parseTrustProxy(name, raw),
    ),
    passwordHashThreads,
    passwordHashMaxQueue: withDefault(
      env,
      'PASSWORD_HASH_MAX_QUEUE',
      64 * passwordHashThreads,
      integer(1, 100_000),
    ),
    http: loadHttpSettings(env, publicUrl, production),
    introspectionClients: withDefault(env, 'INTROSPECTION_CLIENTS', [], (raw, name) =>
      parseIntrospectionClients(name, raw),
    ),
    metrics: loadMetricsSettings(env),
    auth: loadAuthSettings(env, publicUrl),
    mail: loadMailSettings(env),
    oauthProviders: loadOAuthProviders(env),
  }
  return deepFreeze(config)
}
