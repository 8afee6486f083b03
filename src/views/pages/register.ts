import { csrfField, errorSummary, input } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState, ViewProfileField } from '../model.js'
import { profileFieldInput, profileFieldLabel, profileFieldName } from './profile-fields.js'

export const REGISTER_LABELS = {
  email: 'Email',
  username: 'Username',
  name: 'Name',
  password: 'Password',
} as const

export interface RegisterModel {
  readonly form: FormState
  readonly next: string
  readonly passwordMinLength: number
  /** Custom profile fields that must be filled in to sign up. */
  readonly requiredProfileFields: readonly ViewProfileField[]
}

export function registerLabels(fields: readonly ViewProfileField[]): Record<string, string> {
  const labels: Record<string, string> = { ...REGISTER_LABELS }
  for (const field of fields) labels[profileFieldName(field)] = profileFieldLabel(field)
  return labels
}

export function registerPage(chrome: Chrome, model: RegisterModel): SafeHTML {
  const { form } = model
  const main = html`<div class="card narrow">
    ${errorSummary(form, registerLabels(model.requiredProfileFields))}
    <form method="post" action="/register" novalidate>
      ${csrfField(chrome.csrfToken)}
      <input type="hidden" name="next" value="${model.next}" />
      ${input({ name: 'email', label: REGISTER_LABELS.email, type: 'email', autocomplete: 'email', required: true }, form)}
      ${input({ name: 'username', label: REGISTER_LABELS.username, autocomplete: 'username', hint: '2 to 32 letters, digits, dots, dashes or underscores.' }, form)}
      ${input({ name: 'name', label: REGISTER_LABELS.name, autocomplete: 'name' }, form)}
      ${input({ name: 'password', label: REGISTER_LABELS.password, type: 'password', autocomplete: 'new-password', required: true, hint: `At least ${model.passwordMinLength} characters. A few unrelated words make a strong, memorable password.` }, form)}
      ${model.requiredProfileFields.map((field) => profileFieldInput(field, form))}
      <button type="submit" class="button primary">Create account</button>
    </form>
    <p class="aside">Already have an account? <a href="/login">Sign in</a></p>
  </div>`
  return layout(chrome, { title: 'Create an account', main })
}
