// The validator for every route schema in the plugin: TypeBox's compiled checks. Bodies are
// checked exactly as sent, with no coercion, so an object, array or boolean where a string is
// expected is refused rather than stringified (SEC-INPUT-02). Query strings and path params
// arrive as strings; only a plain decimal for a number field is converted (`?limit=10` → 10,
// while `1.5` stays a non-integer and `1e3` or `0x10` stay strings, all refused). A repeated
// parameter arrives as an array and fails its string schema (no parameter pollution).
import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler'
import type { FastifySchemaCompiler } from 'fastify'
import { validationFailed, type FieldError } from '../core/errors.js'
import { safePath } from './problem.js'

// RFC 3339 date-time, UTC or with an offset. Date.parse alone is not enough: V8 rolls
// 2024-02-31 over into March, so the day is checked against the month.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value)
  if (match === null || Number.isNaN(Date.parse(value))) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth
}

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime)

const MAX_FIELD_ERRORS = 10

function memberOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/

function convertNumbers(schema: TSchema, data: unknown): unknown {
  const properties: unknown = schema['properties']
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof properties !== 'object' ||
    properties === null
  ) {
    return data
  }
  const out: Record<string, unknown> = { ...data }
  for (const [key, value] of Object.entries(out)) {
    const type = memberOf(Reflect.get(properties, key), 'type')
    if (
      (type === 'integer' || type === 'number') &&
      typeof value === 'string' &&
      DECIMAL.test(value)
    ) {
      out[key] = Number(value)
    }
  }
  return out
}

function messageOf(error: ValueError): string {
  const options: unknown = error.schema['anyOf']
  if (!Array.isArray(options)) return error.message
  const literals = options.map((option: unknown) => memberOf(option, 'const'))
  if (!literals.every((literal) => typeof literal === 'string')) return error.message
  return `Expected one of: ${literals.join(', ')}`
}

/** One message per path, never the offending value (nothing from the input is echoed). */
export function fieldErrorsOf(errors: Iterable<ValueError>, part: string): FieldError[] {
  const out: FieldError[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    const path = safePath(error.path)
    if (seen.has(path)) continue
    seen.add(path)
    const message =
      path === '' && part === 'body' && error.path === ''
        ? 'The body must be a JSON object.'
        : messageOf(error)
    out.push({ path, message })
    if (out.length >= MAX_FIELD_ERRORS) break
  }
  return out
}

export const compileValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema)
  const convert = httpPart === 'querystring' || httpPart === 'params'
  return (data: unknown) => {
    const value = convert ? convertNumbers(schema, data) : data
    if (check.Check(value)) return { value }
    return { error: validationFailed(fieldErrorsOf(check.Errors(value), httpPart ?? '')) }
  }
}
