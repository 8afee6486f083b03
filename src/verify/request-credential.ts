// Reading a credential from a request of any framework (Fetch API, Express, Node's http), with
// the same rules as the Fastify API (src/http/credentials.ts, src/http/csrf.ts). Dependency-free.

/** Returns the header's value (joined if repeated), or undefined. Names are lower case. */
export type HeaderReader = (name: string) => string | undefined

export type RequestCredential =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'cookie'; readonly token: string }

/** Latchkey's session cookie; `__Host-` binds it to one origin (see src/http/cookies.ts). */
export const SESSION_COOKIE_NAME = '__Host-latchkey_session'

// RFC 6750 §2.1: `Bearer` is case-insensitive; the token is b64token characters.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function readBearerToken(header: string | undefined): string | null {
  if (header === undefined) return null
  return BEARER.exec(header)?.[1] ?? null
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue
    const value = part.slice(eq + 1).trim()
    return value === '' ? null : value
  }
  return null
}

/**
 * The bearer token, else the session cookie. The JWT is taken from the Authorization header only,
 * never from a query string (SEC-JWT-05); a bearer wins, as it was added on purpose by a script.
 */
export function readRequestCredential(header: HeaderReader): RequestCredential | null {
  const bearer = readBearerToken(header('authorization'))
  if (bearer !== null) return { kind: 'bearer', token: bearer }
  const cookie = readCookie(header('cookie'), SESSION_COOKIE_NAME)
  return cookie === null ? null : { kind: 'cookie', token: cookie }
}

/**
 * True for an unsafe cookie-authenticated request that may come from another site: it must come
 * from a trusted origin (by Origin, else Sec-Fetch-Site) and need a CORS preflight (JSON body or
 * X-Requested-With), as in the JSON API (SEC-CSRF-02). A browser never adds a bearer header on
 * its own, so bearer requests are exempt.
 */
export function isCrossSiteCookieRequest(
  method: string,
  credential: RequestCredential,
  header: HeaderReader,
  trustedOrigins: ReadonlySet<string>,
): boolean {
  if (credential.kind !== 'cookie' || SAFE_METHODS.has(method.toUpperCase())) return false
  const origin = header('origin')
  if (origin !== undefined && !trustedOrigins.has(origin)) return true
  const site = header('sec-fetch-site')
  if (origin === undefined && (site === 'cross-site' || site === 'same-site')) return true
  const type = header('content-type')?.split(';', 1)[0]?.trim().toLowerCase()
  const requestedWith = header('x-requested-with')
  const preflighted =
    type === 'application/json' || (requestedWith !== undefined && requestedWith !== '')
  return !preflighted
}
