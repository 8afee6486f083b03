// Social sign-in in the browser (api.md: GET /auth/oauth/{provider}/start and /callback), and the
// link and unlink buttons of /settings/security. These are navigations, so they live with the
// pages (HTML failures, page CSP, flash, the 2FA step); API clients get problem+json.
import type { FastifyInstance } from 'fastify'
import { AuthError } from '../../core/errors.js'
import { principalOf, requestContext } from '../../http/guards.js'
import { clearOAuthCookie, readOAuthCookie, setOAuthCookie } from '../../http/oauth-cookie.js'
import { OAUTH_CALLBACK_LIMITS, OAUTH_START_LIMITS } from '../../http/oauth-limits.js'
import { verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { param, readForm, text } from '../form.js'
import { nextFromQuery, withNext } from '../next-path.js'
import { answerOAuthFailure, answerSignIn, sendContinue } from '../oauth-answers.js'
import type { PageDeps } from '../page-deps.js'
import { seeOther } from '../render.js'

const tags = ['oauth']

/** The callback's query as single strings; a repeated parameter is refused (SEC-INPUT-02). */
function callbackParams(query: unknown): Record<string, string> {
  const params: Record<string, string> = {}
  if (typeof query !== 'object' || query === null) return params
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') {
      throw new AuthError('invalid_request', { detail: 'A parameter was sent more than once.' })
    }
    params[name] = value
  }
  return params
}

function startHref(provider: string, next: string): string {
  return withNext(`/auth/oauth/${encodeURIComponent(provider)}/start`, next)
}

export function oauthPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth, stylesheetHref } = deps
  const failure = (provider: string, next: string) => ({
    stylesheetHref,
    retryHref: startHref(provider, next),
  })

  app.get(
    '/auth/oauth/:provider/start',
    {
      onRequest: deps.limit(OAUTH_START_LIMITS),
      schema: {
        tags,
        summary: 'Begin signing in with a provider',
        description:
          '302 to the provider with `state`, `nonce` and a PKCE S256 challenge; the transaction is kept in an encrypted, HttpOnly, SameSite=Lax `__Host-` cookie for 10 minutes. `next` must be a same-site path (anything else becomes `/`). 404 `not_found` for an unknown provider; 400 `oauth_failed` when the provider cannot be reached.',
      },
    },
    async (request, reply) => {
      const provider = param(request.params, 'provider')
      const next = nextFromQuery(request.query)
      try {
        const start = await auth.startOAuth(provider, next, requestContext(request))
        setOAuthCookie(reply, start)
        return await reply.redirect(start.authorizationURL, 302)
      } catch (error) {
        return answerOAuthFailure(request, reply, error, failure(provider, next))
      }
    },
  )

  app.get(
    '/auth/oauth/:provider/callback',
    {
      onRequest: deps.limit(OAUTH_CALLBACK_LIMITS),
      preHandler: deps.maybeSignedIn,
      schema: {
        tags,
        summary: 'The provider returns here',
        description:
          '302 to `next` with the session cookie set (or, with two-factor authentication on, on to the code step: `{mfa_required, mfa_token}` for API clients). 400 `oauth_state_mismatch` (no transaction from this browser, or a forged, expired or used state), 400 `oauth_failed` (declined, provider error or unreachable, code refused, a token check failed, no email shared), 409 `oauth_account_exists` (the email belongs to an account: sign in and link it), 403 `account_disabled`. Browsers get an HTML page saying what happened; the transaction is spent either way.',
      },
    },
    async (request, reply) => {
      const provider = param(request.params, 'provider')
      const transaction = readOAuthCookie(request)
      clearOAuthCookie(reply)
      try {
        const params = callbackParams(request.query)
        const input = { provider, params, transaction, principal: request.principal }
        const result = await auth.finishOAuth(input, requestContext(request))
        if (result.kind === 'linked') {
          setFlash(reply, 'identity-linked')
          return await reply.redirect(result.next, 302)
        }
        return answerSignIn(request, reply, result.login, result.next, stylesheetHref)
      } catch (error) {
        return answerOAuthFailure(request, reply, error, failure(provider, '/'))
      }
    },
  )

  // Linking starts only from a signed-in, CSRF-checked form: GET never changes state, and a
  // forged link request must not tie someone's account to an identity they did not choose.
  app.post(
    '/settings/security/identities/link',
    { onRequest: deps.limit(OAUTH_START_LIMITS), preHandler: [deps.signedIn, verifySessionForm] },
    async (request, reply) => {
      const provider = text(readForm(request.body), 'provider')
      const principal = principalOf(request)
      const start = await auth.startOAuthLink(principal, provider, requestContext(request))
      setOAuthCookie(reply, start)
      return sendContinue(request, reply, stylesheetHref, {
        title: 'Link an account',
        message: 'Taking you to the provider to confirm it is your account…',
        href: start.authorizationURL,
        linkLabel: 'Continue to the provider',
      })
    },
  )

  app.post(
    '/settings/security/identities/:id/unlink',
    { preHandler: [deps.signedIn, verifySessionForm] },
    async (request, reply) => {
      try {
        await auth.unlinkIdentity(
          principalOf(request),
          param(request.params, 'id'),
          requestContext(request),
        )
        setFlash(reply, 'identity-unlinked')
      } catch (error) {
        if (!(error instanceof AuthError) || error.code !== 'last_sign_in_method') throw error
        setFlash(reply, 'identity-last-sign-in')
      }
      return seeOther(reply, '/settings/security')
    },
  )
}
