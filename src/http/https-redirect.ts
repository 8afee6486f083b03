import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

export interface HTTPSRedirectOptions {
  /** The https PUBLIC_URL (origin and optional path prefix, no trailing slash). */
  readonly publicUrl: string
}

// Probes talk to the container directly, over plain http, and must not be bounced to the proxy.
const PROBES = new Set(['/healthz', '/readyz'])

/**
 * When PUBLIC_URL is https, a request that a trusted proxy reports as plain http
 * (`X-Forwarded-Proto: http`) is sent to the https URL with 308, which keeps the method and body.
 * Registered only with TRUST_PROXY set: without a trusted proxy TLS is the proxy's business and
 * nothing is redirected. Fastify believes X-Forwarded-Proto only from TRUST_PROXY addresses, so
 * a client cannot skip the redirect by claiming https; a request without the header (the health
 * check, a sidecar talking to the container) is served as it is. HSTS (security-headers.ts)
 * makes browsers skip the plain-http hop from their second visit on.
 *
 * The target is built from PUBLIC_URL, never from the Host header (no host-header poisoning).
 */
async function httpsRedirect(app: FastifyInstance, opts: HTTPSRedirectOptions): Promise<void> {
  const base = new URL(opts.publicUrl)
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.protocol !== 'http' || request.headers['x-forwarded-proto'] === undefined) return
    const path = request.url.split('?', 1)[0] ?? '/'
    if (PROBES.has(path)) return
    // request.url already includes any prefix the proxy forwarded; PUBLIC_URL supplies the origin.
    return reply.redirect(`${base.origin}${request.url}`, 308)
  })
}

export const httpsRedirectPlugin: FastifyPluginAsync<HTTPSRedirectOptions> = Object.assign(
  httpsRedirect,
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'latchkey-https-redirect',
  },
)
