import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import type { FastifyInstance, FastifyPluginAsync, onSendHookHandler } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import type { Auth } from '../core/auth-api.js'
import type { RateLimiter } from '../core/ports.js'
import { rateLimit } from '../http/rate-limit.js'
import { securityHeaders } from '../http/security-headers.js'
import { assetRoutes, STYLESHEET_HREF } from './assets.js'
import { checkFormOrigin } from './csrf.js'
import { pageErrorHandler } from './error-page.js'
import type { PageDeps } from './page-deps.js'
import { loadSession, requireSession } from './page-session.js'
import { adminUserPageRoutes } from './routes/admin-users.js'
import { auditPageRoutes } from './routes/admin-audit.js'
import { accountPageRoutes } from './routes/account.js'
import { authPageRoutes } from './routes/auth.js'
import { devMailPageRoutes, type DevOutboxReader } from './routes/dev-mail.js'
import { loginPageRoutes } from './routes/login.js'
import { recoveryPageRoutes } from './routes/recovery.js'
import { oauthPageRoutes } from './routes/oauth.js'
import { securityPageRoutes } from './routes/security.js'
import { passkeyLoginPageRoutes } from './routes/passkey-login.js'
import { twoFactorPageRoutes } from './routes/two-factor.js'

export interface PagesPluginOptions {
  readonly auth: Auth
  readonly http: HttpSettings
  readonly rateLimiter: RateLimiter
  /** The dev outbox, shown at /dev/mail; absent when mail goes out over SMTP. */
  readonly devOutbox?: DevOutboxReader | null
}

/**
 * SEC-HDR-01 for pages: our one stylesheet, images only from here or data: URIs (QR codes), forms
 * only to ourselves, and no script at all, inline or otherwise.
 */
export const PAGES_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

/**
 * Runs after securityHeaders (hooks run in order) and relaxes its `no-referrer` for pages only:
 * under `no-referrer` Chromium sends `Origin: null` on a same-origin form post, which the origin
 * check must refuse. `same-origin` still sends nothing to any other site.
 */
const sameOriginReferrer: onSendHookHandler = (_request, reply, payload, done) => {
  reply.header('referrer-policy', 'same-origin')
  done(null, payload)
}

/**
 * The HTML pages in their own encapsulated context: form bodies, the page CSP, the HTML error
 * page and the origin check apply here only, so the JSON API stays JSON-only.
 */
async function pages(app: FastifyInstance, opts: PagesPluginOptions): Promise<void> {
  const { auth, http } = opts
  // Forms only: the default JSON parser is dropped so a page route never reads JSON.
  app.removeAllContentTypeParsers()
  await app.register(fastifyFormbody, { bodyLimit: http.bodyLimitBytes })
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie)
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null)
  app.addHook('onSend', securityHeaders(http, PAGES_CSP))
  app.addHook('onSend', sameOriginReferrer)
  app.addHook('onRequest', checkFormOrigin(http))
  app.setErrorHandler(pageErrorHandler(STYLESHEET_HREF))

  const deps: PageDeps = {
    auth,
    http,
    stylesheetHref: STYLESHEET_HREF,
    maybeSignedIn: loadSession(auth),
    signedIn: requireSession(auth),
    limit: (rules) => rateLimit(opts.rateLimiter, auth.settings.rateLimit, rules),
  }
  assetRoutes(app)
  loginPageRoutes(app, deps)
  authPageRoutes(app, deps)
  accountPageRoutes(app, deps)
  recoveryPageRoutes(app, deps)
  if (opts.devOutbox) devMailPageRoutes(app, deps, opts.devOutbox)
  securityPageRoutes(app, deps)
  oauthPageRoutes(app, deps)
  twoFactorPageRoutes(app, deps)
  passkeyLoginPageRoutes(app, deps)
  adminUserPageRoutes(app, deps)
  auditPageRoutes(app, deps)
}

/** Registers the server-rendered pages (api.md, "HTML pages") on a Fastify app. */
export const pagesPlugin: FastifyPluginAsync<PagesPluginOptions> = pages
