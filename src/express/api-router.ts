import type { NextFunction, Request, RequestHandler, Response } from 'express'
import Fastify, { type FastifyInstance } from 'fastify'
import { latchkeyPlugin, type LatchkeyPluginOptions } from '../http/plugin.js'

export interface LatchkeyAPIHandler {
  /** Express middleware that answers every request under the prefix and passes the rest on. */
  readonly handler: RequestHandler
  /** Closes the inner Fastify app (not the Auth object: that is the caller's). */
  close(): Promise<void>
}

/**
 * The Latchkey JSON API inside an Express app. The API is a Fastify plugin (its validation,
 * problem+json errors, CSRF check and rate limits live there), so this runs it in an inner
 * Fastify instance and hands it the raw Node request: behaviour is identical to `latchkey serve`.
 *
 * Mount it before any body parser (`express.json()` would consume the body it needs), at the
 * app's root: paths are matched on `req.originalUrl`, so `prefix` must be the full path.
 *
 * @example
 * ```ts
 * const api = await createLatchkeyAPIHandler({ ...latchkey, prefix: '/auth-api' })
 * app.use(api.handler)
 * ```
 */
export async function createLatchkeyAPIHandler(
  options: LatchkeyPluginOptions & { readonly prefix: string },
): Promise<LatchkeyAPIHandler> {
  const prefix = options.prefix.replace(/\/+$/, '')
  // Request ids and logging stay the host app's business; this instance only routes.
  const fastify: FastifyInstance = Fastify({ bodyLimit: options.http.bodyLimitBytes })
  await fastify.register(latchkeyPlugin, { ...options, prefix })
  await fastify.ready()
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const url = req.originalUrl
    if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
      next()
      return
    }
    req.url = url
    fastify.routing(req, res)
  }
  return { handler, close: () => fastify.close() }
}
