import { csrfField, errorSummary, input } from '../components/form.js'
import { socialSignIn, type ViewProvider } from '../components/social-sign-in.js'
import { attr, html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState } from '../model.js'

export const LOGIN_LABELS = { identifier: 'Email or username', password: 'Password' } as const

export interface LoginModel {
  readonly form: FormState
  /** Where to go after signing in; already checked to be a local path. */
  readonly next: string
  /** Configured social-login providers, for "Sign in with …" buttons. */
  readonly providers?: readonly ViewProvider[] | undefined
}

function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?${new URLSearchParams({ next }).toString()}`
}

export function loginPage(chrome: Chrome, model: LoginModel): SafeHTML {
  const { form } = model
  const main = html`<div class="card narrow">
    ${errorSummary(form, LOGIN_LABELS)}
    <form
      method="post"
      action="/login"
      novalidate${attr('aria-describedby', form.formError !== undefined && 'form-errors')}
    >
      ${csrfField(chrome.csrfToken)}
      <input type="hidden" name="next" value="${model.next}" />
      ${input({ name: 'identifier', label: LOGIN_LABELS.identifier, autocomplete: 'username', required: true }, form)}
      ${input({ name: 'password', label: LOGIN_LABELS.password, type: 'password', autocomplete: 'current-password', required: true }, form)}
      <button type="submit" class="button primary">Sign in</button>
    </form>
    <p class="aside"><a href="/forgot-password">Forgot your password?</a></p>
    ${socialSignIn(model.providers ?? [], model.next)}
    <p class="aside">
      <a href="${withNext('/login/passkey', model.next)}">Sign in with a passkey</a>
    </p>
    <p class="aside">
      New here? <a href="${withNext('/register', model.next)}">Create an account</a>
    </p>
  </div>`
  return layout(chrome, { title: 'Sign in', main })
}
