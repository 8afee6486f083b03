import type { FastifyInstance } from 'fastify'

/**
 * Lets `app.close()` finish while keep-alive clients are connected. Node's server.close() drops
 * only connections idle at that moment; one whose request is still in flight would stay open
 * after its answer until the keep-alive timeout (72 s in Fastify), long past any SIGTERM grace.
 * So once closing has begun, every answer says `Connection: close` and Node ends the socket
 * right after it.
 */
export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let draining = false
  app.addHook('preClose', async () => {
    draining = true
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close')
    done(null, payload)
  })
}
