import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

/**
 * The headers the server adds to every answer, in one onSend hook (it runs on every answer, so
 * one callback hook rather than one per header):
 *
 * - `X-Request-Id`: the request id (a random UUID, never taken from the client), so a user
 *   reporting a failure can quote the id that finds its log lines.
 * - `Connection: close` once closing has begun. Node's server.close() drops only connections idle
 *   at that moment; one whose request is still in flight would stay open after its answer until
 *   the keep-alive timeout (72 s in Fastify), long past any SIGTERM grace. With this header Node
 *   ends the socket right after the answer, and `app.close()` can finish while keep-alive clients
 *   are connected.
 */
export function addServerHeaders(app: FastifyInstance): ServerHeaders {
  let draining = false
  app.addHook('preClose', async () => {
    draining = true
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    if (draining) reply.header('connection', 'close')
    done(null, payload)
  })
  return { draining: () => draining }
}

export interface ServerHeaders {
  /** True once closing has begun (every answer then carries `Connection: close`). */
  readonly draining: () => boolean
}

/** The request id: random, never the client's; also used by the warm /auth/me lane. */
export function newRequestId(): string {
  return randomUUID()
}
