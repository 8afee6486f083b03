import type { onRequestAsyncHookHandler } from 'fastify'
import type { CallbackRequestHook, RequestHook } from './guards.js'
import type { HttpSettings } from '../config/config.js'
import type { Auth } from '../core/auth-api.js'
import type { RateLimitRule } from './rate-limit.js'

/** What the route modules need; built once by the plugin. */
export interface RouteDeps {
  readonly auth: Auth
  readonly http: HttpSettings
  /** `requireUser(auth)`, built once; an onRequest hook, so 401 comes before body parsing. */
  readonly authenticated: CallbackRequestHook
  /** `requireRole('admin')`, to be placed after `authenticated`. */
  readonly admin: RequestHook
  readonly limit: (rules: readonly RateLimitRule[]) => onRequestAsyncHookHandler
}
