import type { ProfileFieldDefinition } from '../auth-options.js'
import type { FieldError } from '../errors.js'
import type { Profile, ProfileValue } from '../types.js'

const DEFAULT_MAX_STRING = 200
export const MAX_NAME_LENGTH = 200

function checkValue(field: ProfileFieldDefinition, value: unknown): string | null {
  if (value === null) return field.required ? 'is required' : null
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string'
      if ([...value].length > (field.maxLength ?? DEFAULT_MAX_STRING)) return 'is too long'
      return null
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number'
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false'
  }
}

/**
 * Checks custom profile fields against the declared ones. Unknown fields are refused (they would
 * otherwise become an unbounded, unvalidated store). With `base`, the input is a partial update
 * merged over it and required fields need only be present after the merge.
 */
export function checkProfile(
  definitions: readonly ProfileFieldDefinition[],
  input: Readonly<Record<string, unknown>> | undefined,
  base: Profile | null,
): { profile: Profile; errors: FieldError[] } {
  const errors: FieldError[] = []
  const profile: Record<string, ProfileValue> = { ...(base ?? {}) }
  const known = new Map(definitions.map((d) => [d.name, d]))
  for (const [key, value] of Object.entries(input ?? {})) {
    const field = known.get(key)
    if (field === undefined) {
      errors.push({
        path: `/profile/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: 'is not a known profile field',
      })
      continue
    }
    const problem = checkValue(field, value)
    if (problem !== null) errors.push({ path: `/profile/${key}`, message: problem })
    else profile[key] = value as ProfileValue // checked by checkValue just above
  }
  for (const field of definitions) {
    const value = profile[field.name]
    if (field.required && (value === undefined || value === null)) {
      if (!errors.some((e) => e.path === `/profile/${field.name}`)) {
        errors.push({ path: `/profile/${field.name}`, message: 'is required' })
      }
    }
  }
  return { profile, errors }
}

export function checkName(name: string | null | undefined): FieldError | null {
  if (name === null || name === undefined) return null
  if ([...name].length > MAX_NAME_LENGTH) return { path: '/name', message: 'is too long' }
  // Control characters in a display name only ever serve to forge log lines or UI.
  if (/\p{Cc}/u.test(name)) return { path: '/name', message: 'must not contain control characters' }
  return null
}
