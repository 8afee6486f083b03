// The pages of the social sign-in flow itself: a failure that says what happened and what to do,
// and the one-click hand-over to the next step.
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

export interface OAuthFailureModel {
  readonly status: number
  readonly title: string
  /** A fixed text chosen by the server, never the provider's or the request's words. */
  readonly message: string
  /** Where "Try again" goes, or null when trying again cannot help. */
  readonly retryHref: string | null
}

export function oauthFailurePage(chrome: Chrome, model: OAuthFailureModel): SafeHTML {
  const main = html`<div class="card narrow">
    <div class="error-summary" role="alert" id="oauth-error" tabindex="-1">
      <p>${model.message}</p>
    </div>
    <p class="muted">Error ${model.status}</p>
    <p class="actions">
      ${model.retryHref !== null && html`<a class="button primary" href="${model.retryHref}">Try again</a>`}
      <a class="button secondary" href="/login">Sign in another way</a>
    </p>
  </div>`
  return layout(chrome, { title: model.title, main })
}

export interface ContinueModel {
  readonly title: string
  readonly message: string
  readonly href: string
  readonly linkLabel: string
}

/**
 * A page the browser leaves at once (the `Refresh` header) with a link for the rare browser that
 * does not. Used where a redirect would not do: after a form post (CSP `form-action` also covers
 * the redirects of a form), and after a provider's redirect, whose cross-site origin keeps
 * SameSite=Strict cookies (the 2FA ticket) off the next request.
 */
export function continuePage(chrome: Chrome, model: ContinueModel): SafeHTML {
  const main = html`<div class="card narrow">
    <p class="lead">${model.message}</p>
    <p class="actions"><a class="button primary" href="${model.href}">${model.linkLabel}</a></p>
  </div>`
  return layout(chrome, { title: model.title, main })
}
