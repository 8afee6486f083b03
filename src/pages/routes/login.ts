import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { LoginInput, LoginResult } from '../../core/auth-api.js'
import { AuthError } from '../../core/errors.js'
import { setSessionCookie } from '../../http/cookies.js'
import { abandonableRequestContext, requestContext } from '../../http/guards.js'
import { LOGIN_LIMITS } from '../../http/rate-limit.js'
import type { FormState } from '../../views/model.js'
import { EMPTY_FORM } from '../../views/model.js'
import { loginMfaPage } from '../../views/pages/login-mfa.js'
import { loginPage } from '../../views/pages/login.js'
import { verifyAnonymousForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { formStateOf, keep, readForm, requiredMissing, text } from '../form.js'
import { clearMfaTicket, readMfaTicket, setMfaTicket } from '../mfa-ticket.js'
import { nextFromQuery, safeNextPath, withNext } from '../next-path.js'
import type { PageDeps } from '../page-deps.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

/** One box for email or username, as people expect; an `@` tells which it is. */
function loginInput(identifier: string, password: string): LoginInput {
  const trimmed = identifier.trim()
  return trimmed.includes('@') ? { email: trimmed, password } : { username: trimmed, password }
}

/** After the password: signed in, or on to the code step when 2FA is on. */
function afterPassword(reply: FastifyReply, result: LoginResult, next: string): FastifyReply {
  switch (result.kind) {
    case 'tokens':
      // The same cookie as the API's login (SEC-SESS-02); the token is never put in the page.
      setSessionCookie(reply, result.tokens)
      return seeOther(reply, next)
    case 'mfa_required':
      setMfaTicket(reply, result.mfaToken, result.expiresAt)
      return seeOther(reply, withNext('/login/mfa', next))
  }
}

export function loginPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps
  const show = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    next: string,
    status = 200,
  ): FastifyReply =>
    sendPage(
      reply,
      loginPage(chromeOf(request, reply, deps.stylesheetHref), {
        form,
        next,
        providers: auth.oauthProviders(),
      }),
      status,
    )
  const showMfa = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    next: string,
    status = 200,
  ): FastifyReply =>
    sendPage(
      reply,
      loginMfaPage(chromeOf(request, reply, deps.stylesheetHref), { form, next }),
      status,
    )

  app.get('/login', { preHandler: deps.maybeSignedIn }, async (request, reply) => {
    const next = nextFromQuery(request.query)
    if (request.principal !== null) return seeOther(reply, next)
    return show(request, reply, EMPTY_FORM, next)
  })

  const loginGuards = { onRequest: deps.limit(LOGIN_LIMITS), preHandler: verifyAnonymousForm }

  app.post('/login', loginGuards, async (request, reply) => {
    const form = readForm(request.body)
    const next = safeNextPath(text(form, 'next'))
    const values = keep(form, ['identifier'])
    const missing = requiredMissing(form, ['identifier', 'password'])
    if (missing !== null) return show(request, reply, { values, errors: missing }, next, 422)
    try {
      const input = loginInput(text(form, 'identifier'), text(form, 'password'))
      return afterPassword(
        reply,
        await auth.login(input, abandonableRequestContext(request, reply)),
        next,
      )
    } catch (error) {
      const shown = formStateOf(error, values, {
        invalid_credentials: { form: 'The email, username or password is not right.' },
        account_disabled: { form: 'This account has been disabled.' },
        email_not_verified: { form: 'Verify your email address before signing in.' },
      })
      if (shown === null) throw error
      return show(request, reply, shown.form, next, shown.status)
    }
  })

  app.get('/login/mfa', async (request, reply) => {
    const next = nextFromQuery(request.query)
    if (readMfaTicket(request) === null) return seeOther(reply, withNext('/login', next))
    return showMfa(request, reply, EMPTY_FORM, next)
  })

  // A missing, expired or spent ticket starts the login again (the password step issues a new one).
  function restart(reply: FastifyReply, next: string): FastifyReply {
    clearMfaTicket(reply)
    setFlash(reply, 'mfa-expired')
    return seeOther(reply, withNext('/login', next))
  }

  app.post('/login/mfa', loginGuards, async (request, reply) => {
    const form = readForm(request.body)
    const next = safeNextPath(text(form, 'next'))
    const mfaToken = readMfaTicket(request)
    if (mfaToken === null) return restart(reply, next)
    const missing = requiredMissing(form, ['code'])
    if (missing !== null) return showMfa(request, reply, { values: {}, errors: missing }, next, 422)
    try {
      const input = { mfaToken, code: text(form, 'code').trim() }
      const tokens = await auth.completeMfaLogin(input, requestContext(request))
      clearMfaTicket(reply)
      setSessionCookie(reply, tokens)
      return seeOther(reply, next)
    } catch (error) {
      if (error instanceof AuthError && error.code === 'invalid_mfa_token')
        return restart(reply, next)
      const shown = formStateOf(
        error,
        {},
        {
          invalid_mfa_code: { field: 'code', message: 'is not right' },
        },
      )
      if (shown === null) throw error
      return showMfa(request, reply, shown.form, next, shown.status)
    }
  })
}
