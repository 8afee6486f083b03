import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance, onSendHookHandler } from 'fastify'

// assets/ sits at the package root, two levels above both src/pages/ and dist/pages/.
const SCRIPT = readFileSync(new URL('../../assets/passkeys.js', import.meta.url), 'utf8')
const VERSION = createHash('sha256').update(SCRIPT).digest('base64url').slice(0, 12)

/** The passkey script's URL; the content hash in it lets browsers keep it for a year. */
export const PASSKEY_SCRIPT_HREF = `/assets/passkeys.js?v=${VERSION}`

/** Our one script file and calls to our own API: no inline script, no eval, no other origin. */
const PASSKEY_DIRECTIVES = "script-src 'self'; connect-src 'self'"

/**
 * A route-level onSend hook for the pages that offer passkeys. It runs after the pages context's
 * own hooks, so it extends the scriptless page policy already set on this answer (SEC-HDR-01)
 * and leaves every other page without script.
 */
export const allowPasskeyScript: onSendHookHandler = (_request, reply, payload, done) => {
  const policy = reply.getHeader('content-security-policy')
  if (typeof policy === 'string' && !policy.includes('script-src')) {
    reply.header('content-security-policy', `${policy}; ${PASSKEY_DIRECTIVES}`)
  }
  done(null, payload)
}

export function passkeyScriptRoute(app: FastifyInstance): void {
  app.get('/assets/passkeys.js', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type('text/javascript; charset=utf-8')
      .send(SCRIPT),
  )
}
