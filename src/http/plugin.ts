import fastifyCookie from '@fastify/cookie'
import fastifySwagger from '@fastify/swagger'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import type { Auth } from '../core/auth-api.js'
import type { RateLimiter } from '../core/ports.js'
import { openAPIOptions } from './api-docs.js'
import { registerCORS } from './cors.js'
import { csrfGuard } from './csrf.js'
import { requireRole, requireUser } from './guards.js'
import { acceptJSONBodiesOnly } from './json-body.js'
import { handleError, handleNotFound } from './problem.js'
import { rateLimit } from './rate-limit.js'
import type { RouteDeps } from './route-deps.js'
import { adminRoutes } from './routes/admin.js'
import { auditRoutes } from './routes/audit.js'
import { authRoutes } from './routes/auth.js'
import { emailRoutes } from './routes/email.js'
import { meRoutes } from './routes/me.js'
import { mfaRoutes } from './routes/mfa.js'
import { passkeyRoutes } from './routes/passkeys.js'
import { oauthRoutes } from './routes/oauth.js'
import { sessionRoutes } from './routes/sessions.js'
import { serviceRoutes } from './routes/service.js'
import { securityHeaders } from './security-headers.js'
import { compileValidator } from './validation.js'

export { principalOf, requestContext, requireRole, requireUser } from './guards.js'

export interface LatchkeyPluginOptions {
  readonly auth: Auth
  readonly http: HttpSettings
  readonly rateLimiter: RateLimiter
  /** Mounts the API under a path, e.g. `/auth-api`; its own 404s stay under that path. */
  readonly prefix?: string
}

/**
 * The JSON API in its own encapsulated context: its validator, body parser, error handler,
 * security headers and CSRF check apply to its routes and 404s, not to the host app's routes.
 */
async function latchkeyAPI(app: FastifyInstance, opts: LatchkeyPluginOptions): Promise<void> {
  const { auth, http } = opts
  app.setValidatorCompiler(compileValidator)
  acceptJSONBodiesOnly(app, http.bodyLimitBytes)
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie)
  app.decorateRequest('principal', null)
  app.addHook('onSend', securityHeaders(http))
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)
  registerCORS(app, http)
  app.addHook('onRequest', csrfGuard(http))

  const deps: RouteDeps = {
    auth,
    http,
    authenticated: requireUser(auth),
    admin: requireRole('admin'),
    limit: (rules) => rateLimit(opts.rateLimiter, auth.settings.rateLimit, rules),
  }
  authRoutes(app, deps)
  meRoutes(app, deps)
  emailRoutes(app, deps)
  mfaRoutes(app, deps)
  passkeyRoutes(app, deps)
  sessionRoutes(app, deps)
  oauthRoutes(app, deps)
  adminRoutes(app, deps)
  auditRoutes(app, deps)
  serviceRoutes(app, deps)
}

/**
 * Registers the Latchkey JSON API (api.md) on a Fastify app, with or without a `prefix`.
 *
 * It runs in the caller's context (like fastify-plugin) only to attach @fastify/swagger there
 * before any route exists: swagger collects routes through an onRoute hook, so it must precede
 * them, and `apiDocsPlugin` registered afterwards then serves the complete document. Everything
 * else lives in the encapsulated child above.
 */
async function latchkey(app: FastifyInstance, opts: LatchkeyPluginOptions): Promise<void> {
  if (!app.hasDecorator('swagger')) await app.register(fastifySwagger, openAPIOptions(opts.http))
  await app.register(latchkeyAPI, opts)
}

export const latchkeyPlugin: FastifyPluginAsync<LatchkeyPluginOptions> = Object.assign(latchkey, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'latchkey',
  [Symbol.for('plugin-meta')]: { name: 'latchkey', fastify: '5.x' },
})
