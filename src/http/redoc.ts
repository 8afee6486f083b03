import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import { securityHeaders } from './security-headers.js'

// ReDoc styles itself with styled-components (inline <style>) and runs its search index in a
// blob: worker; nothing else is relaxed, and scripts come only from this server.
const REDOC_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'none'",
].join('; ')

// Relative URLs, so the page works under any prefix: /redoc → /redoc/init.js, /openapi.json.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Latchkey API</title>
</head>
<body>
<div id="redoc"></div>
<script src="redoc/redoc.standalone.js"></script>
<script src="redoc/init.js"></script>
</body>
</html>
`

// A served file rather than an inline script, so script-src needs no 'unsafe-inline' or hash.
const INIT_SCRIPT = "Redoc.init('openapi.json', {}, document.getElementById('redoc'))\n"

const ASSET_CACHE_CONTROL = 'public, max-age=3600'

let bundle: Buffer | null = null

/** The bundle from the installed `redoc` package (~1 MB), read once on first use. */
function redocBundle(): Buffer {
  if (bundle === null) {
    const path = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js')
    bundle = readFileSync(path)
  }
  return bundle
}

export async function registerRedoc(
  app: FastifyInstance,
  opts: { http: HttpSettings },
): Promise<void> {
  app.addHook('onSend', securityHeaders(opts.http, REDOC_CSP))
  app.get('/redoc', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  )
  app.get('/redoc/init.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', ASSET_CACHE_CONTROL)
      .send(INIT_SCRIPT),
  )
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', ASSET_CACHE_CONTROL)
      .send(redocBundle()),
  )
}
