// `latchkey/fastify`: the JSON API as a Fastify plugin, its guards, and the optional extras
// (token introspection, Prometheus metrics) the server itself registers.
export {
  latchkeyPlugin,
  principalOf,
  requestContext,
  requireRole,
  requireUser,
  type LatchkeyPluginOptions,
} from '../http/plugin.js'
export type { CallbackRequestHook, RequestHook } from '../http/guards.js'
export { apiDocsPlugin } from '../http/api-docs.js'
export { introspectionPlugin, type IntrospectionPluginOptions } from '../http/routes/introspect.js'
export {
  createMetrics,
  metricsPlugin,
  type Metrics,
  type MetricsPluginOptions,
} from '../http/metrics.js'
export { httpsRedirectPlugin, type HTTPSRedirectOptions } from '../http/https-redirect.js'
export type { HttpSettings } from '../config/config.js'
export type { Auth, Principal } from '../core/auth-api.js'
