// The application log (pino, JSON lines on stdout). Everything that could carry a secret is
// redacted here, once, so no route or core module has to remember to (SEC-AUDIT-02).
import { pino, type DestinationStream, type Logger } from 'pino'
import type { Config } from './config.js'

// Field names that hold credentials anywhere in a logged object, in both cases of the wire. A bare
// `code` is left alone: it is mostly an error code (err.code), and bodies are never logged.
const SECRET_FIELDS = [
  'password',
  'current_password',
  'new_password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'sessionToken',
  'mfa_token',
  'mfaToken',
  'secret',
  'secretKey',
  'totp_code',
  'recovery_codes',
  'recoveryCodes',
]

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
]

// Query parameters that carry one-time secrets (reset and verification links, OAuth callbacks).
const SECRET_QUERY = /^(token|code|state|secret|password|mfa_token|refresh_token|access_token)$/i

/** The request URL with the values of secret-bearing query parameters replaced. */
export function redactURL(url: string): string {
  const queryAt = url.indexOf('?')
  if (queryAt === -1) return url
  const pairs = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const key = pair.split('=', 1)[0] ?? ''
      let name: string
      try {
        name = decodeURIComponent(key.replace(/\+/g, ' '))
      } catch {
        name = key
      }
      return SECRET_QUERY.test(name) ? `${key}=[REDACTED]` : pair
    })
  return `${url.slice(0, queryAt)}?${pairs.join('&')}`
}

interface LoggedRequest {
  readonly method?: string
  readonly url?: string
  readonly ip?: string
}

interface LoggedError {
  readonly name?: string
  readonly code?: unknown
  readonly statusCode?: unknown
}

const serializers = {
  // Method, path and peer only: never headers or bodies.
  req: (req: LoggedRequest): Record<string, unknown> => ({
    method: req.method,
    url: req.url === undefined ? undefined : redactURL(req.url),
    remoteAddress: req.ip,
  }),
  // A client error's message may quote what the client sent (a JSON parse error quotes the
  // body, password included), so 4xx errors are logged by name and code only.
  err: (err: unknown): unknown => {
    if (err instanceof Error) {
      const { statusCode, code } = err as LoggedError // fields Fastify's errors add to Error
      if (typeof statusCode === 'number' && statusCode < 500) {
        return { type: err.name, code, statusCode }
      }
    }
    return pino.stdSerializers.err(err as Error) // pino's serializer passes non-errors through
  },
}

/** JSON lines to stdout, or to `destination` (the CLI logs to stderr so its output stays clean). */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' }, serializers }
  return destination === undefined ? pino(options) : pino(options, destination)
}
