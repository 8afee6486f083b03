import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify'
import { AuthError } from '../../core/errors.js'
import { principalOf, requestContext } from '../../http/guards.js'
import {
  FORGOT_PASSWORD_LIMITS,
  PASSWORD_RESET_LIMITS,
  RESEND_VERIFICATION_LIMITS,
  VERIFY_EMAIL_LIMITS,
} from '../../http/rate-limit.js'
import { EMPTY_FORM } from '../../views/model.js'
import { forgotPasswordPage } from '../../views/pages/forgot-password.js'
import { linkProblemPage, resetPasswordPage } from '../../views/pages/reset-password.js'
import { verifyEmailPage } from '../../views/pages/verify-email.js'
import { verifyAnonymousForm, verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { formStateOf, keep, readForm, text } from '../form.js'
import {
  dropLinkToken,
  keepLinkToken,
  linkTokenInQuery,
  linkTokenOf,
  noReferrerForLinks,
  type LinkKind,
} from '../link-token-cookie.js'
import type { PageDeps } from '../page-deps.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

const LINK_PROBLEMS: Readonly<Record<string, string>> = {
  invalid_token: 'This link is not valid, or a newer one has replaced it.',
  token_expired: 'This link has expired.',
  token_used: 'This link has already been used.',
}

function isLinkProblem(error: unknown): error is AuthError {
  return error instanceof AuthError && Object.hasOwn(LINK_PROBLEMS, error.code)
}

/** The forms here are posted signed in or not; the CSRF token is bound to whichever applies. */
const verifyEitherForm: preHandlerAsyncHookHandler = async function verifyEitherForm(
  request,
  reply,
) {
  const check = request.principal === null ? verifyAnonymousForm : verifySessionForm
  await check.call(this, request, reply)
}

export function recoveryPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps
  const chrome = (request: FastifyRequest, reply: FastifyReply) =>
    chromeOf(request, reply, deps.stylesheetHref)
  const ttl: Record<LinkKind, number> = {
    reset: auth.settings.passwordResetTtlSeconds,
    verify: auth.settings.emailVerificationTtlSeconds,
  }

  /** GET with ?token=: keep it in its cookie and show the bare URL instead. */
  function stashLink(kind: LinkKind, path: string) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> => {
      const token = linkTokenInQuery(request)
      if (token === null) return null
      keepLinkToken(reply, kind, token, ttl[kind])
      return seeOther(reply, path)
    }
  }
  const stashReset = stashLink('reset', '/reset-password')
  const stashVerify = stashLink('verify', '/verify-email')

  function linkProblem(
    request: FastifyRequest,
    reply: FastifyReply,
    error: AuthError,
    retry: { href: string; label: string },
  ) {
    const page = linkProblemPage(chrome(request, reply), {
      title: 'This link does not work',
      message: `${LINK_PROBLEMS[error.code] ?? ''} ${retry.label} to get a new one.`,
      action: retry,
    })
    return sendPage(reply, page, 400)
  }

  // Anonymous forms: the session is not loaded, so the CSRF token is the pre-session one.
  app.get('/forgot-password', async (request, reply) =>
    sendPage(reply, forgotPasswordPage(chrome(request, reply), { form: EMPTY_FORM })),
  )

  app.post(
    '/forgot-password',
    { onRequest: deps.limit(FORGOT_PASSWORD_LIMITS), preHandler: verifyAnonymousForm },
    async (request, reply) => {
      const form = readForm(request.body)
      try {
        await auth.requestPasswordReset(text(form, 'email'), requestContext(request))
        setFlash(reply, 'reset-link-sent')
        return seeOther(reply, '/login')
      } catch (error) {
        const shown = formStateOf(error, keep(form, ['email']), {})
        if (shown === null) throw error
        return sendPage(
          reply,
          forgotPasswordPage(chrome(request, reply), { form: shown.form }),
          shown.status,
        )
      }
    },
  )

  const resetModel = { passwordMinLength: auth.settings.passwordMinLength }
  const askAgain = { href: '/forgot-password', label: 'Ask for a new link' }

  app.get('/reset-password', { onSend: noReferrerForLinks }, async (request, reply) => {
    const stashed = await stashReset(request, reply)
    if (stashed !== null) return stashed
    if (linkTokenOf(request, 'reset') === null) {
      return linkProblem(request, reply, new AuthError('invalid_token'), askAgain)
    }
    return sendPage(
      reply,
      resetPasswordPage(chrome(request, reply), { ...resetModel, form: EMPTY_FORM }),
    )
  })

  app.post(
    '/reset-password',
    { onRequest: deps.limit(PASSWORD_RESET_LIMITS), preHandler: verifyAnonymousForm },
    async (request, reply) => {
      const form = readForm(request.body)
      const token = linkTokenOf(request, 'reset') ?? ''
      try {
        await auth.resetPassword(
          { token, newPassword: text(form, 'new_password') },
          requestContext(request),
        )
        dropLinkToken(reply, 'reset')
        setFlash(reply, 'password-reset')
        return seeOther(reply, '/login')
      } catch (error) {
        if (isLinkProblem(error)) {
          dropLinkToken(reply, 'reset')
          return linkProblem(request, reply, error, askAgain)
        }
        const shown = formStateOf(
          error,
          {},
          { account_disabled: { form: 'This account has been disabled.' } },
        )
        if (shown === null) throw error
        const page = resetPasswordPage(chrome(request, reply), { ...resetModel, form: shown.form })
        return sendPage(reply, page, shown.status)
      }
    },
  )

  app.get(
    '/verify-email',
    { onSend: noReferrerForLinks, preHandler: deps.maybeSignedIn },
    async (request, reply) => {
      const stashed = await stashVerify(request, reply)
      if (stashed !== null) return stashed
      const user = request.principal?.user ?? null
      const model = {
        hasToken: linkTokenOf(request, 'verify') !== null,
        canResend: user !== null && !user.emailVerified,
      }
      return sendPage(reply, verifyEmailPage(chrome(request, reply), model))
    },
  )

  app.post(
    '/verify-email',
    {
      onRequest: deps.limit(VERIFY_EMAIL_LIMITS),
      preHandler: [deps.maybeSignedIn, verifyEitherForm],
    },
    async (request, reply) => {
      const signedIn = request.principal !== null
      try {
        await auth.verifyEmail(linkTokenOf(request, 'verify') ?? '', requestContext(request))
      } catch (error) {
        if (!isLinkProblem(error)) throw error
        dropLinkToken(reply, 'verify')
        const retry = signedIn
          ? { href: '/verify-email', label: 'Ask for a new link' }
          : { href: '/login?next=%2Fverify-email', label: 'Sign in and ask for a new link' }
        return linkProblem(request, reply, error, retry)
      }
      dropLinkToken(reply, 'verify')
      setFlash(reply, 'email-verified')
      return seeOther(reply, signedIn ? '/profile' : '/login')
    },
  )

  app.post(
    '/verify-email/resend',
    {
      onRequest: deps.limit(RESEND_VERIFICATION_LIMITS),
      preHandler: [deps.signedIn, verifySessionForm],
    },
    async (request, reply) => {
      await auth.resendVerification(principalOf(request), requestContext(request))
      setFlash(reply, 'verification-sent')
      return seeOther(reply, '/verify-email')
    },
  )
}
