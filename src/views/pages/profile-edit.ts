import { csrfField, errorSummary, input } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState, ViewProfileField } from '../model.js'
import { profileFieldInput, profileFieldLabel, profileFieldName } from './profile-fields.js'

export const PROFILE_LABELS = { name: 'Name', username: 'Username' } as const

export interface ProfileEditModel {
  readonly form: FormState
  readonly profileFields: readonly ViewProfileField[]
}

export function profileEditLabels(fields: readonly ViewProfileField[]): Record<string, string> {
  const labels: Record<string, string> = { ...PROFILE_LABELS }
  for (const field of fields) labels[profileFieldName(field)] = profileFieldLabel(field)
  return labels
}

export function profileEditPage(chrome: Chrome, model: ProfileEditModel): SafeHTML {
  const { form } = model
  const main = html`<div class="card narrow">
    ${errorSummary(form, profileEditLabels(model.profileFields))}
    <form method="post" action="/profile/edit" novalidate>
      ${csrfField(chrome.csrfToken)}
      ${input({ name: 'name', label: PROFILE_LABELS.name, autocomplete: 'name', maxLength: 200 }, form)}
      ${input({ name: 'username', label: PROFILE_LABELS.username, autocomplete: 'username', hint: '2 to 32 letters, digits, dots, dashes or underscores. Leave empty to have none.' }, form)}
      ${model.profileFields.map((field) => profileFieldInput(field, form))}
      <p class="actions">
        <button type="submit" class="button primary">Save profile</button>
        <a class="button secondary" href="/profile">Cancel</a>
      </p>
    </form>
  </div>`
  return layout(chrome, { title: 'Edit your profile', main })
}
