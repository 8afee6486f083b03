import type { FastifyInstance } from 'fastify'

/**
 * Echoes the request id (a random UUID, never taken from the client) as `X-Request-Id`, so a user
 * reporting a failure can quote the id that finds its log lines.
 */
export function exposeRequestId(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every answer and needs no promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })
}
