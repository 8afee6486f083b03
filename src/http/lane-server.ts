import { createServer, type ServerOptions } from 'node:http'
import type { FastifyServerFactory } from 'fastify'
import type { WarmMeLane } from './warm-me-lane.js'

/**
 * Fastify's `serverFactory`: the HTTP/1 server Fastify would make itself (fastify/lib/server.js:
 * the same options, timeouts and limits), whose requests first meet `lane()` when there is one.
 * A request the lane leaves alone goes to Fastify untouched. A lane that throws is a bug: it is
 * reported, and the request still gets Fastify's answer unless the lane had begun its own.
 */
export function serverWithLane(
  lane: () => WarmMeLane | null,
  onLaneError: (error: unknown) => void,
): FastifyServerFactory {
  return (handler, opts) => {
    const server = createServer((opts['http'] ?? {}) as ServerOptions, (request, response) => {
      const answer = lane()
      if (answer !== null) {
        try {
          if (answer(request, response)) return
        } catch (error) {
          onLaneError(error)
          if (response.headersSent) {
            response.destroy()
            return
          }
        }
      }
      handler(request, response)
    })
    // Fastify has filled in its defaults before it calls the factory; Node's stay otherwise.
    const keepAliveTimeout = numberOption(opts, 'keepAliveTimeout')
    if (keepAliveTimeout !== null) server.keepAliveTimeout = keepAliveTimeout
    const requestTimeout = numberOption(opts, 'requestTimeout')
    if (requestTimeout !== null) server.requestTimeout = requestTimeout
    server.setTimeout(numberOption(opts, 'connectionTimeout') ?? 0)
    const maxRequestsPerSocket = numberOption(opts, 'maxRequestsPerSocket') ?? 0
    if (maxRequestsPerSocket > 0) server.maxRequestsPerSocket = maxRequestsPerSocket
    return server
  }
}

function numberOption(opts: Record<string, unknown>, name: string): number | null {
  const value = opts[name]
  return typeof value === 'number' ? value : null
}
