import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'

// assets/ sits at the package root, two levels above both src/pages/ and dist/pages/.
const STYLESHEET = readFileSync(new URL('../../assets/latchkey.css', import.meta.url), 'utf8')
const VERSION = createHash('sha256').update(STYLESHEET).digest('base64url').slice(0, 12)

/** The stylesheet's URL; the content hash in it lets browsers keep it for a year. */
export const STYLESHEET_HREF = `/assets/latchkey.css?v=${VERSION}`

export function assetRoutes(app: FastifyInstance): void {
  app.get('/assets/latchkey.css', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type('text/css; charset=utf-8')
      .send(STYLESHEET),
  )
}
