import type { FastifyInstance } from 'fastify'

/**
 * Echoes the request id (a random UUID, never taken from the client) as `X-Request-Id`, so a user
 * reporting a failure can quote the id that finds its log lines.
 */
export function exposeRequestId(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id)
    return payload
  })
}
