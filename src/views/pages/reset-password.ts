import { csrfField, errorSummary, input } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState } from '../model.js'

export const RESET_PASSWORD_LABELS = { new_password: 'New password' } as const

export interface ResetPasswordModel {
  readonly form: FormState
  readonly passwordMinLength: number
}

/**
 * The link's token is not in this page or its URL: the link's first load moved it into an
 * HttpOnly cookie and redirected here (SEC-RESET-05), so it cannot leak through the address bar,
 * the history, a Referer header or the page's markup.
 */
export function resetPasswordPage(chrome: Chrome, model: ResetPasswordModel): SafeHTML {
  const main = html`<div class="card narrow">
    ${errorSummary(model.form, RESET_PASSWORD_LABELS)}
    <form method="post" action="/reset-password" novalidate>
      ${csrfField(chrome.csrfToken)}
      ${input({ name: 'new_password', label: RESET_PASSWORD_LABELS.new_password, type: 'password', autocomplete: 'new-password', required: true, hint: `At least ${model.passwordMinLength} characters. A few unrelated words make a strong, memorable password.` }, model.form)}
      <button type="submit" class="button primary">Set new password</button>
    </form>
    <p class="aside">Every device signed in to your account will be signed out.</p>
  </div>`
  return layout(chrome, { title: 'Choose a new password', main })
}

export interface LinkProblemModel {
  readonly title: string
  readonly message: string
  readonly action: { readonly href: string; readonly label: string }
}

/** A link that is missing, expired, used or unknown, and what to do instead. */
export function linkProblemPage(chrome: Chrome, model: LinkProblemModel): SafeHTML {
  const main = html`<div class="card narrow">
    <p class="lead">${model.message}</p>
    <p class="actions">
      <a class="button primary" href="${model.action.href}">${model.action.label}</a>
    </p>
  </div>`
  return layout(chrome, { title: model.title, main })
}
