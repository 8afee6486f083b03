import type { HttpSettings } from '../config/config.js'

/**
 * Origins trusted to send credentialed requests: the public URL's own origin plus the configured
 * CORS origins, compared exactly. The Host header is never consulted (it is client-controlled).
 */
export function trustedOrigins(http: HttpSettings): ReadonlySet<string> {
  return new Set([new URL(http.publicUrl).origin, ...http.corsOrigins])
}
