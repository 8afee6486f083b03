import { AuthError, type FieldError } from '../core/errors.js'
import { statusByCode } from '../http/problem.js'
import type { FieldErrors, FormState } from '../views/model.js'

export type FormFields = ReadonlyMap<string, string>

/**
 * The posted form as single strings. A repeated field arrives as an array, which no form of ours
 * sends: it is refused rather than guessed at (parameter pollution, SEC-INPUT-02).
 */
export function readForm(body: unknown): FormFields {
  const fields = new Map<string, string>()
  if (typeof body !== 'object' || body === null) return fields
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') {
      throw new AuthError('invalid_request', { detail: 'A form field was sent more than once.' })
    }
    fields.set(name, value)
  }
  return fields
}

export function text(form: FormFields, name: string): string {
  return form.get(name) ?? ''
}

/** "is required" for each named field left blank, or null when all are filled in. */
export function requiredMissing(
  form: FormFields,
  names: readonly string[],
): Record<string, string> | null {
  const errors: Record<string, string> = {}
  for (const name of names) if ((form.get(name) ?? '').trim() === '') errors[name] = 'is required'
  return Object.keys(errors).length === 0 ? null : errors
}

/** The values to show again on the form; password fields are never among `names`. */
export function keep(form: FormFields, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (const name of names) {
    const value = form.get(name)
    if (value !== undefined) values[name] = value
  }
  return values
}

/** Core's JSON Pointer (`/profile/company`) → the form field's name (`profile.company`). */
export function fieldNameOf(path: string): string {
  return path
    .replace(/^\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.')
}

function fieldErrorsOf(errors: readonly FieldError[]): FieldErrors {
  const out: Record<string, string> = {}
  // The first problem per field is the one to fix first; the rest can wait for the next try.
  for (const error of errors) out[fieldNameOf(error.path)] ??= error.message
  return out
}

/** How a refusal shows on a form: on one field, or over the whole form. */
export type FormErrorPlacement =
  { readonly field: string; readonly message: string } | { readonly form: string }

/**
 * A refusal from core as the form to show again, with the status to answer; null for a refusal
 * the form cannot explain (it then goes to the error page). `validation_failed` always maps to
 * fields; other codes only as `placements` says.
 */
export function formStateOf(
  error: unknown,
  values: Readonly<Record<string, string>>,
  placements: Partial<Record<AuthError['code'], FormErrorPlacement>>,
): { readonly form: FormState; readonly status: number } | null {
  if (!(error instanceof AuthError)) return null
  const status = statusByCode[error.code]
  if (error.code === 'validation_failed') {
    return { form: { values, errors: fieldErrorsOf(error.fieldErrors ?? []) }, status }
  }
  if (error.code === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 60))
    return {
      form: {
        values,
        errors: {},
        formError: `Too many attempts. Wait ${seconds} seconds and try again.`,
      },
      status,
    }
  }
  const placement = placements[error.code]
  if (placement === undefined) return null
  if ('field' in placement) {
    return { form: { values, errors: { [placement.field]: placement.message } }, status }
  }
  return { form: { values, errors: {}, formError: placement.form }, status }
}

/**
 * Query-string filters: lenient, since a GET changes nothing. A repeated parameter is ignored
 * rather than refused, so a hand-edited URL still shows the page.
 */
export function readQuery(query: unknown): FormFields {
  const fields = new Map<string, string>()
  if (typeof query !== 'object' || query === null) return fields
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') fields.set(name, value)
  }
  return fields
}

/** A route parameter as a string (Fastify gives them as strings; the type says unknown). */
export function param(params: unknown, name: string): string {
  const value: unknown =
    typeof params === 'object' && params !== null ? Reflect.get(params, name) : undefined
  return typeof value === 'string' ? value : ''
}
