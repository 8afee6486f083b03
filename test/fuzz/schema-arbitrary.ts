// A fast-check arbitrary for the subset of JSON Schema that TypeBox emits into the OpenAPI
// document: objects with properties/required, strings (formats, lengths, patterns ignored),
// numbers, integers, booleans, arrays, enums/consts and anyOf/oneOf/allOf (first member).
import fc from 'fast-check'

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
}

const MAX_STRING = 80

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'email') return fc.emailAddress()
  if (schema.format === 'uuid') return fc.uuid()
  if (schema.format === 'date-time')
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
  const minLength = Math.min(schema.minLength ?? 0, MAX_STRING)
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING))
  return fc.string({ minLength, maxLength })
}

export function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum)
  const union = schema.anyOf ?? schema.oneOf
  if (union !== undefined && union.length > 0) {
    return fc.oneof(...union.map((member) => fromSchema(member, depth + 1)))
  }
  if (schema.allOf?.[0] !== undefined) return fromSchema(schema.allOf[0], depth + 1)
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'string':
      return stringFor(schema)
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 })
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 3 })
    case 'object': {
      if (depth > 3) return fc.constant({})
      const properties = schema.properties ?? {}
      const required = new Set(schema.required ?? [])
      const shape: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [key, value] of Object.entries(properties))
        shape[key] = fromSchema(value, depth + 1)
      return fc.record(shape, { requiredKeys: [...required].filter((key) => key in shape) })
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}
