// PROFILE_FIELDS: the custom profile fields users may fill in. Two spellings:
//   compact  `company:string,age:number?,newsletter:boolean?,bio:string(500)?`
//            (`?` marks an optional field; `string(N)` caps the length in code points)
//   JSON     `[{"name":"company","type":"string","required":true,"maxLength":100}]`
import type { ProfileFieldDefinition, ProfileFieldType } from '../core/auth-options.js'
import { ConfigError } from './config-error.js'
import { parseList, showValue } from './parse.js'

const TYPES: readonly ProfileFieldType[] = ['string', 'number', 'boolean']
// snake_case, like every other field on the wire.
const NAME = /^[a-z][a-z0-9_]{0,39}$/
const MAX_STRING_LENGTH = 10_000

function isFieldType(value: unknown): value is ProfileFieldType {
  return typeof value === 'string' && (TYPES as readonly string[]).includes(value)
}

function fieldError(name: string, what: string): ConfigError {
  return new ConfigError(
    name,
    `${what}; expected e.g. company:string,age:number?,newsletter:boolean? (? = optional) or a JSON array`,
  )
}

function makeField(
  variable: string,
  name: unknown,
  type: unknown,
  required: unknown,
  maxLength: unknown,
): ProfileFieldDefinition {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw fieldError(
      variable,
      `field name must be snake_case (a-z, 0-9, _), got ${showValue(String(name))}`,
    )
  }
  if (!isFieldType(type)) {
    throw fieldError(
      variable,
      `field ${name}: type must be string, number or boolean, got ${showValue(String(type))}`,
    )
  }
  if (typeof required !== 'boolean') {
    throw fieldError(variable, `field ${name}: required must be true or false`)
  }
  if (maxLength === undefined) return { name, type, required }
  if (
    type !== 'string' ||
    typeof maxLength !== 'number' ||
    !Number.isInteger(maxLength) ||
    maxLength < 1 ||
    maxLength > MAX_STRING_LENGTH
  ) {
    throw fieldError(
      variable,
      `field ${name}: maxLength must be an integer 1-${MAX_STRING_LENGTH} on a string field`,
    )
  }
  return { name, type, required, maxLength }
}

function parseCompact(variable: string, raw: string): ProfileFieldDefinition[] {
  return parseList(raw).map((item) => {
    const match = /^([^:]+):\s*([a-z]+)(?:\((\d+)\))?(\?)?$/i.exec(item)
    if (match === null) throw fieldError(variable, `cannot read ${showValue(item)}`)
    const [, name, type, maxLength, optional] = match
    return makeField(
      variable,
      name?.trim(),
      type?.toLowerCase(),
      optional === undefined,
      maxLength === undefined ? undefined : Number(maxLength),
    )
  })
}

function parseJSON(variable: string, raw: string): ProfileFieldDefinition[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw fieldError(variable, 'not valid JSON')
  }
  if (!Array.isArray(parsed)) throw fieldError(variable, 'the JSON form must be an array')
  return parsed.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null)
      throw fieldError(variable, 'each JSON entry must be an object')
    const record = entry as Record<string, unknown> // narrowed to a non-null object just above
    return makeField(
      variable,
      record['name'],
      record['type'],
      record['required'] ?? false,
      record['maxLength'],
    )
  })
}

export function parseProfileFields(variable: string, raw: string): ProfileFieldDefinition[] {
  const fields = raw.startsWith('[') ? parseJSON(variable, raw) : parseCompact(variable, raw)
  const seen = new Set<string>()
  for (const field of fields) {
    if (seen.has(field.name)) throw fieldError(variable, `field ${field.name} is declared twice`)
    seen.add(field.name)
  }
  return fields
}
