// Authenticating a Fetch API Request (Hono, Next.js route handlers, Bun, Deno, workers on Node)
// through the full Auth object: the session is looked up, so revocation is immediate.
import type { Auth, Principal } from '../core/auth-api.js'
import { AuthError, isAuthError } from '../core/errors.js'
import type { Role } from '../core/types.js'
import { problemOf, type ProblemJSON } from '../http/problem.js'
import { isCrossSiteCookieRequest, readRequestCredential } from './request-credential.js'

export type RequestVerdict =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly status: number; readonly problem: ProblemJSON }

export interface RequestVerifierOptions {
  /**
   * Origins (besides the issuer's) whose cookie-authenticated unsafe requests are accepted.
   * Cookie auth works only on Latchkey's own host (`__Host-` cookie); others should use bearer.
   */
  readonly trustedOrigins?: readonly string[]
}

export interface VerifyRequestOptions {
  /** Also require this role: 403 `forbidden` otherwise. */
  readonly role?: Role
}

export interface RequestVerifier {
  /** A plain function (no `this`), so it may be destructured. */
  readonly verifyRequest: (
    request: Request,
    options?: VerifyRequestOptions,
  ) => Promise<RequestVerdict>
}

function refuse(error: AuthError): RequestVerdict {
  const problem = problemOf(error)
  return { ok: false, status: problem.status, problem }
}

/**
 * Builds `verifyRequest(request)` over an Auth object.
 *
 * @example
 * ```ts
 * const { verifyRequest } = createRequestVerifier(auth)
 * app.get('/api/private', async (c) => {
 *   const verdict = await verifyRequest(c.req.raw)
 *   if (!verdict.ok) return problemResponse(verdict)
 *   return c.json({ hello: verdict.principal.user.email })
 * })
 * ```
 */
export function createRequestVerifier(
  auth: Auth,
  options: RequestVerifierOptions = {},
): RequestVerifier {
  const trusted = new Set([new URL(auth.settings.issuer).origin, ...(options.trustedOrigins ?? [])])
  return {
    async verifyRequest(request, verifyOptions = {}) {
      const header = (name: string): string | undefined => request.headers.get(name) ?? undefined
      const credential = readRequestCredential(header)
      if (credential === null) {
        return refuse(new AuthError('not_authenticated', { detail: 'Sign in to continue.' }))
      }
      if (isCrossSiteCookieRequest(request.method, credential, header, trusted)) {
        return refuse(new AuthError('csrf_failed', { detail: 'Cross-site request refused.' }))
      }
      let principal: Principal
      try {
        principal = await auth.authenticate(credential)
      } catch (error) {
        // A store that does not answer is the caller's 500, never a 401.
        if (!isAuthError(error)) throw error
        return refuse(error)
      }
      if (verifyOptions.role !== undefined && principal.user.role !== verifyOptions.role) {
        return refuse(new AuthError('forbidden', { detail: 'You are not allowed to do this.' }))
      }
      return { ok: true, principal }
    },
  }
}

/** The refusal as an `application/problem+json` Response (with `WWW-Authenticate` on 401). */
export function problemResponse(verdict: {
  readonly status: number
  readonly problem: object
}): Response {
  const headers = new Headers({
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  })
  if (verdict.status === 401) headers.set('www-authenticate', 'Bearer')
  return new Response(JSON.stringify(verdict.problem), { status: verdict.status, headers })
}
