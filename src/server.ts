// The composition root: configuration in, concrete adapters wired, a ready Fastify app out. It
// does not listen (src/cli/commands/serve.ts does), so tests drive it with app.inject().
import { randomUUID } from 'node:crypto'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import type { Logger as PinoLogger } from 'pino'
import { openAuditFileSink, type AuditFileSink } from './config/audit-file-sink.js'
import type { Config } from './config/config.js'
import { ConfigError } from './config/config-error.js'
import { createLogger } from './config/logger.js'
import { loadOrCreateSecret } from './config/secret-file.js'
import type { Auth } from './core/auth-api.js'
import { createAuth } from './core/auth.js'
import type { Clock, PasswordHasher, RateLimiter, Store } from './core/ports.js'
import { createPasswordHasher } from './crypto/password-hash.js'
import { apiDocsPlugin } from './http/api-docs.js'
import { latchkeyPlugin } from './http/plugin.js'
import { pagesPlugin } from './pages/plugin.js'
import { MemoryRateLimiter } from './storage/memory/rate-limiter.js'
import { openSqlStore } from './storage/sql/open-store.js'

export interface RuntimeOptions {
  readonly clock?: Clock
  readonly logger?: PinoLogger
}

/** Auth and the adapters behind it, without HTTP: what the server and the CLI commands share. */
export interface Runtime {
  readonly auth: Auth
  readonly rateLimiter: RateLimiter
  readonly logger: PinoLogger
  /** Closes auth (and through it the store, hasher and limiter) and the audit file. */
  close(): Promise<void>
}

export interface BuiltServer {
  readonly app: FastifyInstance
  readonly auth: Auth
  /** Closes the app; its onClose hook closes everything the runtime opened. */
  close(): Promise<void>
}

// Never wait forever for a slow body (slowloris): 30 s is plenty for a 64 KiB JSON document.
const REQUEST_TIMEOUT_MS = 30_000

function openRateLimiter(config: Config, clock: Clock | undefined): RateLimiter {
  if (config.redisUrl !== null) {
    // SEC-RATE-06: limits that silently stay per-process when the operator asked for shared ones
    // would fail open across nodes, so refuse rather than degrade.
    throw new ConfigError(
      'REDIS_URL',
      'the Redis adapters are not available in this version; unset REDIS_URL',
    )
  }
  return new MemoryRateLimiter(clock === undefined ? Date.now : () => clock.now().getTime())
}

/** Opens the store (schema migrated), the password hasher, the limiter and the secret; wires auth. */
export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel)
  // The cheap checks first, so a bad secret or Redis setting stops the start before any I/O.
  const secret = await loadOrCreateSecret(config)
  const rateLimiter = openRateLimiter(config, options.clock)
  let store: Store | undefined
  let hasher: PasswordHasher | undefined
  let auditSink: AuditFileSink | undefined
  try {
    const openedStore = await openSqlStore(config.databaseUrl, { migrate: true })
    store = openedStore
    const openedHasher = createPasswordHasher({
      threads: config.passwordHashThreads,
      maxQueue: config.passwordHashMaxQueue,
    })
    hasher = openedHasher
    if (config.auditLogFile !== null) {
      auditSink = openAuditFileSink(config.auditLogFile, (error) =>
        logger.error({ err: error }, 'could not append to AUDIT_LOG_FILE'),
      )
    }
    const auth = await createAuth({
      settings: config.auth,
      store: openedStore,
      hasher: openedHasher,
      rateLimiter,
      secret,
      logger,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(auditSink === undefined ? {} : { auditSink }),
    })
    let closing: Promise<void> | undefined
    return {
      auth,
      rateLimiter,
      logger,
      close(): Promise<void> {
        // Idempotent: the onClose hook and an error path may both ask.
        closing ??= auth.close().finally(() => auditSink?.close())
        return closing
      },
    }
  } catch (error) {
    auditSink?.close()
    await Promise.allSettled([hasher?.close(), rateLimiter.close(), store?.close()])
    throw error
  }
}

function toTrustProxy(trustProxy: Config['trustProxy']): false | string[] {
  return trustProxy === false ? false : [...trustProxy]
}

/**
 * Builds the ready (not listening) Fastify app over a fresh runtime.
 * @example const { app, close } = await buildServer(loadConfig({ DATABASE_URL: 'sqlite:./t.db' }))
 */
export async function buildServer(
  config: Config,
  overrides: { readonly clock?: Clock } = {},
): Promise<BuiltServer> {
  const logger = createLogger(config.logLevel)
  const runtime = await openRuntime(config, { ...overrides, logger })
  // Typed as the default instance (FastifyBaseLogger), which pino's Logger is, so callers and
  // plugins see the plain FastifyInstance.
  const app = Fastify<
    RawServerDefault,
    RawRequestDefaultExpression,
    RawReplyDefaultExpression,
    FastifyBaseLogger
  >({
    loggerInstance: logger,
    trustProxy: toTrustProxy(config.trustProxy),
    bodyLimit: config.http.bodyLimitBytes,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Random ids, not Fastify's counter: they stay unique across restarts and nodes in the logs.
    genReqId: () => randomUUID(),
    // Clients cannot choose the id that ties their request to our log lines.
    requestIdHeader: false,
  })
  app.addHook('onClose', async () => {
    await runtime.close()
  })
  try {
    await app.register(latchkeyPlugin, {
      auth: runtime.auth,
      http: config.http,
      rateLimiter: runtime.rateLimiter,
    })
    await app.register(apiDocsPlugin, { http: config.http })
    await app.register(pagesPlugin, {
      auth: runtime.auth,
      http: config.http,
      rateLimiter: runtime.rateLimiter,
    })
    await app.ready()
  } catch (error) {
    await app.close().catch(() => undefined)
    await runtime.close()
    throw error
  }
  return { app, auth: runtime.auth, close: () => app.close() }
}
