import { csrfField, errorSummary, input } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState } from '../model.js'

export const MFA_LABELS = { code: 'Verification code' } as const

export interface LoginMfaModel {
  readonly form: FormState
  readonly next: string
}

/** The second step of signing in when two-factor authentication is on. */
export function loginMfaPage(chrome: Chrome, model: LoginMfaModel): SafeHTML {
  const { form } = model
  const main = html`<div class="card narrow">
    ${errorSummary(form, MFA_LABELS)}
    <form method="post" action="/login/mfa" novalidate>
      ${csrfField(chrome.csrfToken)}
      <input type="hidden" name="next" value="${model.next}" />
      ${input(
        {
          name: 'code',
          label: MFA_LABELS.code,
          autocomplete: 'one-time-code',
          required: true,
          hint: 'The 6-digit code from your authenticator app, or one of your recovery codes.',
        },
        form,
      )}
      <button type="submit" class="button primary">Verify</button>
    </form>
    <p class="aside"><a href="/login">Start again</a></p>
  </div>`
  return layout(chrome, { title: 'Two-factor authentication', main })
}
