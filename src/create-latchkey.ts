// The one-call way to embed Latchkey: opens the SQL store (migrated), the password workers and a
// rate limiter, and wires `createAuth` over them with the same defaults as the server.
import { availableParallelism } from 'node:os'
import type { HttpSettings } from './config/config.js'
import { loadConfig } from './config/env.js'
import { parseSecretKey } from './config/parse-secret-key.js'
import type { Auth } from './core/auth-api.js'
import type { AuthSettings } from './core/auth-options.js'
import { createAuth } from './core/auth.js'
import { silentLogger } from './core/context.js'
import type { Clock, Logger, Mailer, PasswordHasher, RateLimiter, Store } from './core/ports.js'
import { createPasswordHasher } from './crypto/password-hash.js'
import { createMailQueue } from './mail/open-mail.js'
import { MemoryRateLimiter } from './storage/memory/rate-limiter.js'
import { openSqlStore } from './storage/sql/open-store.js'

export interface LatchkeyOptions {
  /** `sqlite:./data/latchkey.db`, `postgres://…` or `mysql://…`. */
  readonly databaseUrl: string
  /**
   * 32+ random bytes, or a string of them in base64 or hex (`openssl rand -base64 32`). Token
   * signing keys are sealed with it: keep it, or every session and key is lost.
   */
  readonly secret: Uint8Array | string
  /** Where the API is reached, e.g. `https://example.com/auth-api`: the tokens' iss and aud. */
  readonly publicUrl: string
  /** Overrides of the defaults documented in docs/configuration.md. */
  readonly settings?: Partial<AuthSettings>
  readonly http?: Partial<Omit<HttpSettings, 'publicUrl' | 'https'>>
  /** Applies pending schema migrations at start (default true). */
  readonly migrate?: boolean
  /** Worker threads for argon2id (default: the CPU count). */
  readonly passwordHashThreads?: number
  /** A shared limiter (e.g. Redis) instead of the per-process memory one. */
  readonly rateLimiter?: RateLimiter
  readonly logger?: Logger
  readonly clock?: Clock
  /**
   * Sends verification links, reset links and password notices (e.g. `new SmtpMailer(url, from)`
   * or your provider's API), through a background queue with retries. Without it no mail is sent.
   */
  readonly mailer?: Mailer
}

/** Everything `latchkeyPlugin` needs, so `app.register(latchkeyPlugin, latchkey)` just works. */
export interface Latchkey {
  readonly auth: Auth
  readonly http: HttpSettings
  readonly rateLimiter: RateLimiter
  /** Closes the store, the password workers and the limiter. */
  close(): Promise<void>
}

/**
 * Opens Latchkey inside your app.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { createLatchkey } from 'latchkey'
 * import { latchkeyPlugin, requireUser } from 'latchkey/fastify'
 *
 * const latchkey = await createLatchkey({
 *   databaseUrl: 'sqlite:./data/app.db',
 *   secret: process.env.LATCHKEY_SECRET!,
 *   publicUrl: 'http://localhost:3000/auth-api',
 * })
 * const app = Fastify()
 * await app.register(latchkeyPlugin, { ...latchkey, prefix: '/auth-api' })
 * app.get('/private', { onRequest: requireUser(latchkey.auth) }, async (req) => req.principal?.user)
 * app.addHook('onClose', () => latchkey.close())
 * ```
 */
export async function createLatchkey(options: LatchkeyOptions): Promise<Latchkey> {
  // The server's own parser supplies the defaults and checks publicUrl and databaseUrl.
  const defaults = loadConfig({
    PUBLIC_URL: options.publicUrl,
    DATABASE_URL: options.databaseUrl,
    NODE_ENV: process.env['NODE_ENV'],
  })
  const secret =
    typeof options.secret === 'string' ? parseSecretKey('secret', options.secret) : options.secret
  const settings: AuthSettings = { ...defaults.auth, ...options.settings }
  const http: HttpSettings = { ...defaults.http, ...options.http }
  const rateLimiter = options.rateLimiter ?? new MemoryRateLimiter()
  let store: Store | undefined
  let hasher: PasswordHasher | undefined
  const mail =
    options.mailer === undefined
      ? null
      : createMailQueue(options.mailer, http.publicUrl, options.logger ?? silentLogger)
  try {
    store = await openSqlStore(defaults.databaseUrl, { migrate: options.migrate ?? true })
    hasher = createPasswordHasher({
      threads: options.passwordHashThreads ?? availableParallelism(),
      maxQueue: 64 * (options.passwordHashThreads ?? availableParallelism()),
    })
    const auth = await createAuth({
      settings,
      store,
      hasher,
      rateLimiter,
      secret,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(mail === null ? {} : { mail: mail.queue }),
    })
    let closing: Promise<void> | undefined
    const close = async (): Promise<void> => {
      await auth.close()
      await mail?.delivery.close()
    }
    return { auth, http, rateLimiter, close: () => (closing ??= close()) }
  } catch (error) {
    await Promise.allSettled([
      hasher?.close(),
      rateLimiter.close(),
      store?.close(),
      mail?.delivery.close(),
    ])
    throw error
  }
}
