// How the browser-facing OAuth routes answer: HTML pages for browsers, problem+json for API
// clients (api.md lists the same paths with JSON failures), chosen by the Accept header.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { LoginResult } from '../core/auth-api.js'
import type { AuthErrorCode } from '../core/errors.js'
import { setSessionCookie } from '../http/cookies.js'
import { sendProblem, statusByCode, toAuthError } from '../http/problem.js'
import { encodeMfaRequired } from '../http/serializers.js'
import { continuePage, oauthFailurePage } from '../views/pages/oauth.js'
import { setMfaTicket } from './mfa-ticket.js'
import { withNext } from './next-path.js'
import { chromeOf, sendPage } from './render.js'

/** A browser navigating asks for text/html; fetch() and API clients do not. */
export function wantsHTML(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html')
}

const TITLES: Partial<Record<AuthErrorCode, string>> = {
  oauth_state_mismatch: 'This sign-in cannot be finished',
  oauth_failed: 'Sign-in did not work',
  oauth_account_exists: 'You already have an account',
  oauth_identity_taken: 'Already linked elsewhere',
  account_disabled: 'Account disabled',
  email_not_verified: 'Email not verified',
  not_found: 'Unknown sign-in provider',
  rate_limited: 'Too many requests',
  invalid_request: 'Sign-in answer not readable',
}

// Codes whose detail core builds from fixed texts only (core/oauth/failures.ts); any other
// code gets a fixed text from here, so no request content ever reaches the page.
const CORE_WORDED = new Set<AuthErrorCode>([
  'oauth_state_mismatch',
  'oauth_failed',
  'oauth_account_exists',
  'oauth_identity_taken',
])

const MESSAGES: Partial<Record<AuthErrorCode, string>> = {
  account_disabled: 'This account has been disabled. Contact an administrator.',
  email_not_verified: 'Verify your email address before signing in: follow the link we mailed you.',
  not_found: 'There is no such sign-in provider here.',
  rate_limited: 'Too many sign-in attempts from your address. Wait a minute and try again.',
  invalid_request: 'The sign-in answer could not be read. Start again.',
}

export interface FailureContext {
  readonly stylesheetHref: string
  /** Where "Try again" leads; null when it cannot help. */
  readonly retryHref: string | null
}

/** A failure as a page (browsers) or a problem (clients); never a 5xx for a refusal. */
export function answerOAuthFailure(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  context: FailureContext,
): FastifyReply {
  const mapped = toAuthError(error)
  if (mapped === null) throw error // a bug: the page error handler logs it and answers 500
  if (!wantsHTML(request)) return sendProblem(reply, mapped)
  const status = statusByCode[mapped.code]
  if (mapped.code === 'rate_limited') {
    reply.header('retry-after', String(Math.max(1, Math.ceil(mapped.retryAfterSeconds ?? 60))))
  }
  const message = CORE_WORDED.has(mapped.code) ? mapped.detail : MESSAGES[mapped.code]
  const retry =
    mapped.code === 'oauth_account_exists' || mapped.code === 'not_found' ? null : context.retryHref
  const chrome = chromeOf(request, reply, context.stylesheetHref)
  const model = {
    status,
    title: TITLES[mapped.code] ?? 'Sign-in did not work',
    message: message ?? 'Signing in did not work. Start again, or sign in another way.',
    retryHref: retry,
  }
  return sendPage(reply, oauthFailurePage(chrome, model), status)
}

/** Signed in: the session cookie and on to `next`; with 2FA on, on to the code step instead. */
export function answerSignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  result: LoginResult,
  next: string,
  stylesheetHref: string,
): FastifyReply {
  switch (result.kind) {
    case 'tokens':
      setSessionCookie(reply, result.tokens)
      return reply.redirect(next, 302)
    case 'mfa_required': {
      // SEC-MFA-07: no session yet, only the same ticket a password login gets.
      setMfaTicket(reply, result.mfaToken, result.expiresAt)
      if (!wantsHTML(request)) return reply.send(encodeMfaRequired(result))
      return sendContinue(request, reply, stylesheetHref, {
        title: 'Two-factor authentication',
        message: 'One more step: enter the code from your authenticator app.',
        href: withNext('/login/mfa', next),
        linkLabel: 'Continue',
      })
    }
  }
}

export function sendContinue(
  request: FastifyRequest,
  reply: FastifyReply,
  stylesheetHref: string,
  model: { title: string; message: string; href: string; linkLabel: string },
): FastifyReply {
  // Refresh is a navigation started by our own page: same-site for cookies, and no form.
  reply.header('refresh', `0; url=${model.href}`)
  return sendPage(reply, continuePage(chromeOf(request, reply, stylesheetHref), model))
}
