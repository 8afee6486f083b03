import { Type, type TSchema } from '@sinclair/typebox'

/** RFC 9457 problem details; every error response has this shape. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI naming the problem type: `urn:latchkey:error:<code>`.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable machine-readable code; see docs/errors.md.' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON Pointer into the request, e.g. `/email`.' }),
          message: Type.String(),
        }),
      ),
    ),
  },
  { description: 'application/problem+json (RFC 9457)' },
)

const problemDescriptions: Readonly<Record<number, string>> = {
  400: 'Malformed request: bad JSON or a content type other than application/json',
  401: 'Not authenticated, or bad credentials',
  403: 'Authenticated but not allowed, or a failed CSRF check',
  404: 'Unknown resource',
  409: 'Conflict: the email or username is taken',
  413: 'Body too large',
  422: 'A field fails validation',
  429: 'Rate limited; see Retry-After',
  503: 'Not ready; see Retry-After',
}

/** The problem responses a route documents, e.g. `...problems(401, 422)`. */
export function problems(...statuses: readonly number[]): Record<string, TSchema> {
  const out: Record<string, TSchema> = {}
  for (const status of statuses) {
    out[String(status)] = {
      ...ProblemSchema,
      description: problemDescriptions[status] ?? 'Problem',
    }
  }
  return out
}

/** The 204 answer; documented as an empty response. */
export const NoContent = Type.Null({ description: 'No content' })

/** ISO 8601 UTC timestamp on the wire. */
export const Timestamp = Type.String({ format: 'date-time' })

/** Ids are opaque strings; the cap keeps junk out of the store lookups. */
export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)

export const Limit = Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (1-100).' })
export const Cursor = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'Opaque `next_cursor` from the previous page.',
})

/** Security requirement for routes that take a bearer token or the session cookie. */
export const authenticated: readonly Readonly<Record<string, readonly string[]>>[] = [
  { bearer: [] },
  { cookie: [] },
]
