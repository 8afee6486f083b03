// Custom profile fields between the form (strings) and core (typed values). Core validates; this
// only converts, and passes anything it cannot convert on as text so core can say what is wrong.
import type { AuthSettings, ProfileFieldDefinition } from '../core/auth-options.js'
import type { ProfileValue } from '../core/types.js'
import type { ViewProfileField } from '../views/model.js'
import type { FormFields } from './form.js'

export function profileFieldsOf(settings: AuthSettings): readonly ProfileFieldDefinition[] {
  return settings.profileFields
}

function formName(field: ViewProfileField): string {
  return `profile.${field.name}`
}

function toValue(field: ViewProfileField, raw: string | undefined): unknown {
  switch (field.type) {
    // An unticked checkbox is simply absent from the form.
    case 'boolean':
      return raw === 'on'
    case 'number': {
      const trimmed = (raw ?? '').trim()
      if (trimmed === '') return null
      const number = Number(trimmed)
      return Number.isFinite(number) ? number : trimmed
    }
    case 'string': {
      const trimmed = (raw ?? '').trim()
      return trimmed === '' ? null : trimmed
    }
  }
}

/** The profile object for core; an emptied field becomes null (cleared). */
export function readProfileFields(
  form: FormFields,
  fields: readonly ViewProfileField[],
): Record<string, unknown> | undefined {
  if (fields.length === 0) return undefined
  const profile: Record<string, unknown> = {}
  for (const field of fields) profile[field.name] = toValue(field, form.get(formName(field)))
  return profile
}

/** The user's stored values as form values, for the edit form. */
export function profileFormValues(
  profile: Readonly<Record<string, ProfileValue>>,
  fields: readonly ViewProfileField[],
): Record<string, string> {
  const values: Record<string, string> = {}
  for (const field of fields) {
    const value = profile[field.name]
    if (value === undefined || value === null) continue
    if (typeof value === 'boolean') {
      if (value) values[formName(field)] = 'on'
    } else {
      values[formName(field)] = String(value)
    }
  }
  return values
}

export function profileFormNames(fields: readonly ViewProfileField[]): string[] {
  return fields.map(formName)
}
