// Custom profile fields (PROFILE_FIELDS) as form controls. The form name is `profile.<field>`,
// which src/pages maps to and from core's `/profile/<field>` error paths.
import { checkbox, input } from '../components/form.js'
import type { SafeHTML } from '../html.js'
import type { FormState, ViewProfileField } from '../model.js'

export function profileFieldName(field: ViewProfileField): string {
  return `profile.${field.name}`
}

/** `company_name` → "Company name": configuration names fields for machines, not people. */
export function profileFieldLabel(field: ViewProfileField): string {
  const words = field.name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase()
}

export function profileFieldInput(field: ViewProfileField, form: FormState): SafeHTML {
  const name = profileFieldName(field)
  const label = profileFieldLabel(field)
  switch (field.type) {
    case 'boolean':
      return checkbox({ name, label }, form)
    case 'number':
      return input({ name, label, inputMode: 'decimal', required: field.required }, form)
    case 'string':
      return input({ name, label, required: field.required, maxLength: field.maxLength }, form)
  }
}
