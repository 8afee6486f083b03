import type { onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import type { Auth } from '../core/auth-api.js'
import type { RateLimitRule } from '../http/rate-limit.js'

/** What the page route modules need; built once by the pages plugin. */
export interface PageDeps {
  readonly auth: Auth
  readonly http: HttpSettings
  /** The stylesheet URL with its content hash. */
  readonly stylesheetHref: string
  /** Sets `request.principal` when signed in; anyone may pass. */
  readonly maybeSignedIn: preHandlerAsyncHookHandler
  /** Sets `request.principal`, or redirects to the login page. */
  readonly signedIn: preHandlerAsyncHookHandler
  /** Per-IP limits shared with the JSON API (same limiter keys, one budget). */
  readonly limit: (rules: readonly RateLimitRule[]) => onRequestAsyncHookHandler
}
