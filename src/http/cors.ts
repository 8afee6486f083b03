import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { HttpSettings } from '../config/config.js'

const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE'
const ALLOWED_HEADERS = 'authorization, content-type, x-requested-with'
const PREFLIGHT_MAX_AGE_SECONDS = '600'

/**
 * CORS for the configured origins only. An allowed origin is echoed with credentials; any other
 * gets no CORS headers at all, so arbitrary origins are never reflected (SEC-CSRF-02). With no
 * origins configured nothing is registered and browsers keep the same-origin policy.
 */
export function registerCORS(app: FastifyInstance, http: HttpSettings): void {
  if (http.corsOrigins.length === 0) return
  const allowed = new Set(http.corsOrigins)
  const allowOrigin = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const origin = request.headers.origin
    reply.header('vary', 'Origin')
    if (origin === undefined || !allowed.has(origin)) return false
    reply.header('access-control-allow-origin', origin)
    reply.header('access-control-allow-credentials', 'true')
    reply.header('access-control-expose-headers', 'retry-after')
    return true
  }
  app.addHook('onRequest', async (request, reply) => {
    allowOrigin(request, reply)
  })
  app.options('/*', { schema: { hide: true } }, async (request, reply) => {
    if (allowOrigin(request, reply)) {
      reply.header('access-control-allow-methods', ALLOWED_METHODS)
      reply.header('access-control-allow-headers', ALLOWED_HEADERS)
      reply.header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
    }
    return reply.code(204).send()
  })
}
