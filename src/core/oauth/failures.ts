// Every OAuth refusal core makes, each with a fixed text. The provider's own words
// (`error_description`, exception messages) never reach the person: anyone can put text in a
// callback URL, and a page must not repeat it under our name. Texts name the provider by its
// configured label only.
import { AuthError } from '../errors.js'
import type { OAuthProviderFailure } from './provider.js'

export type OAuthFailureReason =
  | OAuthProviderFailure
  /** The provider shared no usable email address, so no account can be made. */
  | 'email_missing'
  /** A link finished in a browser whose session is no longer the one that started it. */
  | 'link_session'

function failureText(reason: OAuthFailureReason, label: string): string {
  switch (reason) {
    case 'denied':
      return `You cancelled signing in with ${label}, so you are not signed in. You can try again, or sign in another way.`
    case 'provider_error':
      return `${label} could not sign you in. Try again, or sign in another way.`
    case 'unavailable':
      return `${label} is not answering right now. Try again in a few minutes, or sign in another way.`
    case 'code_rejected':
      return `${label} did not accept this sign-in: it took too long or was already used. Start again.`
    case 'invalid_response':
      return `${label} sent an answer that failed our security checks, so you are not signed in. Start again.`
    case 'email_missing':
      return `${label} did not share an email address with us, so no account could be made. Allow access to your email address at ${label}, or register with a password.`
    case 'link_session':
      return `Your session changed while you were linking ${label}. Sign in and link it again from Security settings.`
  }
}

export function oauthFailed(reason: OAuthFailureReason, label: string, cause?: unknown): AuthError {
  return new AuthError('oauth_failed', { detail: failureText(reason, label), cause })
}

export type StateProblem = 'missing' | 'mismatch' | 'expired' | 'used'

const STATE_TEXT: Record<StateProblem, string> = {
  missing:
    'This sign-in did not start in this browser, or it expired. Start signing in again from this browser.',
  mismatch: 'This sign-in answer does not belong to the sign-in this browser started. Start again.',
  expired: 'This sign-in took longer than 10 minutes and expired. Start again.',
  used: 'This sign-in answer was already used. Start again.',
}

/** `state` missing, forged, expired or replayed (SEC-OIDC-01). */
export function stateMismatch(problem: StateProblem): AuthError {
  return new AuthError('oauth_state_mismatch', { detail: STATE_TEXT[problem] })
}

export function accountExists(label: string): AuthError {
  return new AuthError('oauth_account_exists', {
    detail: `An account with the email address from ${label} already exists. For your safety it is not linked automatically: sign in with your password (and two-factor code), then link ${label} under Security settings.`,
  })
}

export function identityTaken(label: string): AuthError {
  return new AuthError('oauth_identity_taken', {
    detail: `This ${label} account is already linked to another Latchkey account. Unlink it there first.`,
  })
}

export function unknownProvider(): AuthError {
  return new AuthError('not_found', { detail: 'There is no such sign-in provider.' })
}
