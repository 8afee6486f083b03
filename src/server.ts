// The composition root: configuration in, concrete adapters wired, a ready Fastify app out. It
// does not listen (src/cli/commands/serve.ts does), so tests drive it with app.inject().
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
import { createLogger } from './config/logger.js'
import { loadOrCreateSecret } from './config/secret-file.js'
import type { Auth } from './core/auth-api.js'
import { createAuth } from './core/auth.js'
import type {
  AuditSink,
  Clock,
  MailQueue,
  PasswordHasher,
  RateLimiter,
  SessionCache,
  Store,
} from './core/ports.js'
import { createPasswordHasher } from './crypto/password-hash.js'
import { apiDocsPlugin } from './http/api-docs.js'
import { addServerHeaders, newRequestId } from './http/server-headers.js'
import { httpsRedirectPlugin } from './http/https-redirect.js'
import { createMetrics, metricsPlugin, type Metrics } from './http/metrics.js'
import { introspectionPlugin } from './http/routes/introspect.js'
import { latchkeyFrameworkErrors } from './http/framework-errors.js'
import { lazyRequestLogger } from './http/lazy-request-logger.js'
import { serverWithLane } from './http/lane-server.js'
import { latchkeyPlugin } from './http/plugin.js'
import { warmMeLane, type WarmMeLane } from './http/warm-me-lane.js'
import { openMail, type MailOptions, type MailRuntime } from './mail/open-mail.js'
import { createOAuthProviders } from './oauth/create-providers.js'
import { pagesPlugin } from './pages/plugin.js'
import { MemoryRateLimiter } from './storage/memory/rate-limiter.js'
import { openRedisAdapters } from './storage/redis/open-redis.js'
import { openSqlStore } from './storage/sql/open-store.js'

export interface RuntimeOptions {
  readonly clock?: Clock
  readonly logger?: PinoLogger
  /** Sees every audit event after it is committed (the metrics count logins from it). */
  readonly auditSink?: AuditSink
  /** Reads the password hasher's queue (metrics); wired once the hasher exists. */
  readonly onHasher?: (queueDepth: () => number) => void
  /** Account mail for core; the CLI passes none, as its commands send no mail. */
  readonly mail?: MailQueue
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
  /** Outgoing mail: its delivery queue, and the dev outbox when there is no SMTP_URL. */
  readonly mail: MailRuntime
  /** Closes the app; its onClose hook closes everything the runtime opened. */
  close(): Promise<void>
  /** How many requests the warm /auth/me lane has answered so far (0 while it is off). */
  warmLaneAnswers(): number
}

// Never wait forever for a slow body (slowloris): 30 s is plenty for a 64 KiB JSON document.
const REQUEST_TIMEOUT_MS = 30_000

/**
 * What the nodes of one deployment share beyond the database. With REDIS_URL: limits counted in
 * Redis (SEC-RATE-06) and the session cache with its pub/sub invalidation; while Redis is away
 * each falls back on its own (per-process limits with a warning; the database for sessions),
 * never to "allow". Without it: per-process limits, and no shared session cache, so every check
 * reads the database (on SQLite a process's own cache, which sees every other connection's
 * write: storage/sql/sqlite-session-cache.ts) and several nodes on one database still refuse a
 * revoked session at once.
 */
async function openSharedState(
  config: Config,
  clock: Clock | undefined,
  logger: PinoLogger,
): Promise<{ rateLimiter: RateLimiter; sessionCache?: SessionCache }> {
  if (config.redisUrl !== null) {
    return openRedisAdapters(config.redisUrl, { logger, keyPrefix: config.redisKeyPrefix })
  }
  return {
    rateLimiter: new MemoryRateLimiter(
      clock === undefined ? Date.now : () => clock.now().getTime(),
    ),
  }
}

/** Opens the store (schema migrated), the password hasher, the limiter and the secret; wires auth. */
export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel)
  // The cheap checks first, so a bad secret or Redis setting stops the start before any I/O.
  const secret = await loadOrCreateSecret(config)
  const { rateLimiter, sessionCache } = await openSharedState(config, options.clock, logger)
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
    options.onHasher?.(() => openedHasher.queueDepth())
    if (config.auditLogFile !== null) {
      auditSink = openAuditFileSink(config.auditLogFile, (error) =>
        logger.error({ err: error }, 'could not append to AUDIT_LOG_FILE'),
      )
    }
    // Without Redis, SQLite still offers one in-process (it sees other connections' writes).
    const cache = sessionCache ?? openedStore.processSessionCache() ?? undefined
    const auth = await createAuth({
      settings: config.auth,
      store: openedStore,
      hasher: openedHasher,
      rateLimiter,
      ...(cache === undefined ? {} : { sessionCache: cache }),
      secret,
      logger,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.mail === undefined ? {} : { mail: options.mail }),
      ...combineSinks(auditSink, options.auditSink),
      // Nothing is fetched here: a provider that is down stops only its own sign-ins.
      oauthProviders: createOAuthProviders(config.oauthProviders),
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
    await Promise.allSettled([
      hasher?.close(),
      rateLimiter.close(),
      sessionCache?.close(),
      store?.close(),
    ])
    throw error
  }
}

function combineSinks(...sinks: readonly (AuditSink | undefined)[]): { auditSink?: AuditSink } {
  const present = sinks.filter((sink): sink is AuditSink => sink !== undefined)
  if (present.length === 0) return {}
  return { auditSink: { write: (event) => present.forEach((sink) => sink.write(event)) } }
}

function toTrustProxy(trustProxy: Config['trustProxy']): false | string[] {
  return trustProxy === false ? false : [...trustProxy]
}

export interface ServerOverrides {
  readonly clock?: Clock
  /** The application log (tests capture it through a stream); by default pino to stdout. */
  readonly logger?: PinoLogger
  /** Retry schedule, or another transport, for outgoing mail. */
  readonly mailDelivery?: MailOptions
}

/**
 * Builds the ready (not listening) Fastify app over a fresh runtime.
 * @example const { app, close } = await buildServer(loadConfig({ DATABASE_URL: 'sqlite:./t.db' }))
 */
export async function buildServer(
  config: Config,
  overrides: ServerOverrides = {},
): Promise<BuiltServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel)
  // Before any I/O: refuses production without SMTP_URL with one configuration line.
  const mail = openMail(config, logger, overrides.mailDelivery)
  let hashQueueDepth = (): number => 0
  const metrics: Metrics | null = config.metrics.enabled
    ? createMetrics(() => hashQueueDepth())
    : null
  let lane: WarmMeLane | null = null
  const runtime = await openRuntime(config, {
    ...overrides,
    logger,
    mail: mail.queue,
    ...(metrics === null ? {} : { auditSink: metrics.auditSink }),
    onHasher: (depth) => (hashQueueDepth = depth),
  }).catch(async (error: unknown) => {
    await mail.close()
    throw error
  })
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
    genReqId: newRequestId,
    childLoggerFactory: lazyRequestLogger,
    // Clients cannot choose the id that ties their request to our log lines.
    requestIdHeader: false,
    // A malformed URL is refused before any plugin context exists: answer it as problem+json too.
    frameworkErrors: latchkeyFrameworkErrors(config.http),
    // Fastify's own server, with the warm /auth/me lane in front once the app is ready.
    serverFactory: serverWithLane(
      () => lane,
      (error) => logger.error({ err: error }, 'the warm /auth/me lane failed'),
    ),
  })
  app.addHook('onClose', async () => {
    // Auth first: it lets background work finish, and that work may still queue mail.
    await runtime.close()
    await mail.close()
  })
  const serverHeaders = addServerHeaders(app)
  const redirectsToHttps = config.http.https && config.trustProxy !== false
  try {
    // Before every route, so its hooks see them all (and a redirect precedes any other work).
    if (redirectsToHttps) {
      await app.register(httpsRedirectPlugin, { publicUrl: config.http.publicUrl })
    }
    if (metrics !== null) {
      await app.register(metricsPlugin, { settings: config.metrics, metrics })
    }
    await app.register(latchkeyPlugin, {
      auth: runtime.auth,
      http: config.http,
      rateLimiter: runtime.rateLimiter,
    })
    await app.register(introspectionPlugin, {
      auth: runtime.auth,
      http: config.http,
      clients: config.introspectionClients,
    })
    await app.register(apiDocsPlugin, { http: config.http })
    await app.register(pagesPlugin, {
      auth: runtime.auth,
      http: config.http,
      rateLimiter: runtime.rateLimiter,
      devOutbox: mail.devOutbox,
    })
    await app.ready()
    // Not with METRICS=on: every answer is timed by an onResponse hook the lane would skip.
    if (metrics === null) {
      lane = warmMeLane({
        auth: runtime.auth,
        http: config.http,
        draining: serverHeaders.draining,
        logsRequests: () => logger.isLevelEnabled('info'),
        redirectsToHttps,
      })
    }
  } catch (error) {
    await app.close().catch(() => undefined)
    await runtime.close()
    throw error
  }
  return {
    app,
    auth: runtime.auth,
    mail,
    close: () => app.close(),
    warmLaneAnswers: () => lane?.answered() ?? 0,
  }
}
