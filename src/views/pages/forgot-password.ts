import { csrfField, errorSummary, input } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState } from '../model.js'

export const FORGOT_PASSWORD_LABELS = { email: 'Email' } as const

/** Says the same thing whether or not an account has the address (SEC-ENUM-03). */
export function forgotPasswordPage(chrome: Chrome, model: { readonly form: FormState }): SafeHTML {
  const main = html`<div class="card narrow">
    ${errorSummary(model.form, FORGOT_PASSWORD_LABELS)}
    <p class="lead">
      Enter the email address of your account. If an account uses it, we will send it a link to
      choose a new password.
    </p>
    <form method="post" action="/forgot-password" novalidate>
      ${csrfField(chrome.csrfToken)}
      ${input({ name: 'email', label: FORGOT_PASSWORD_LABELS.email, type: 'email', autocomplete: 'email', required: true }, model.form)}
      <button type="submit" class="button primary">Send reset link</button>
    </form>
    <p class="aside">Remembered it? <a href="/login">Sign in</a></p>
  </div>`
  return layout(chrome, { title: 'Reset your password', main })
}
