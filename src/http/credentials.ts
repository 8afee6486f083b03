import type { FastifyRequest } from 'fastify'
import type { Credential } from '../core/auth-api.js'
import { SESSION_COOKIE } from './cookies.js'

// RFC 6750 §2.1: `Bearer` is case-insensitive; the token is b64token characters.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * The credential a request carries, without judging it (core does that). The JWT is taken from
 * the Authorization header only, never from a query string or body (SEC-JWT-05). A bearer token
 * wins over the cookie: it was added on purpose by a script, the cookie may be ambient.
 */
export function readCredential(request: FastifyRequest): Credential | null {
  const bearer = readBearer(request)
  if (bearer !== null) return { kind: 'bearer', token: bearer }
  // Undefined when a library user calls this outside a context with @fastify/cookie.
  const cookies: FastifyRequest['cookies'] | undefined = request.cookies
  const cookie = cookies?.[SESSION_COOKIE]
  if (typeof cookie === 'string' && cookie.length > 0) return { kind: 'cookie', token: cookie }
  return null
}

export function readBearer(request: FastifyRequest): string | null {
  return bearerToken(request.headers.authorization)
}

/** The token of an `Authorization: Bearer` header value; null for any other value. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null
  return BEARER.exec(header)?.[1] ?? null
}

/** True when the request carries a session cookie and no bearer token. */
export function isCookieAuthenticated(request: FastifyRequest): boolean {
  return readCredential(request)?.kind === 'cookie'
}
