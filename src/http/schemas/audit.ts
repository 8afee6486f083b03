import { Type, type Static } from '@sinclair/typebox'
import { AUDIT_EVENT_TYPES } from '../../core/types.js'
import { Cursor, Limit, Timestamp } from './common.js'

const EventType = Type.Union(AUDIT_EVENT_TYPES.map((type) => Type.Literal(type)))
const NullableString = Type.Union([Type.String(), Type.Null()])

export const AuditEventSchema = Type.Object(
  {
    id: Type.String(),
    at: Timestamp,
    type: EventType,
    user_id: NullableString,
    actor_id: NullableString,
    session_id: NullableString,
    ip: NullableString,
    user_agent: NullableString,
    data: Type.Record(
      Type.String(),
      Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
    ),
  },
  { additionalProperties: false },
)
export type AuditEventJSON = Static<typeof AuditEventSchema>

export const AuditPageSchema = Type.Object(
  { items: Type.Array(AuditEventSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
)
export type AuditPageJSON = Static<typeof AuditPageSchema>

const Since = Type.String({ format: 'date-time', description: 'ISO 8601; events at or after.' })
const Until = Type.String({ format: 'date-time', description: 'ISO 8601; events before.' })

/** Filters for one user's events (the user is in the path). */
export const UserEventsQuery = Type.Object(
  {
    type: Type.Optional(EventType),
    since: Type.Optional(Since),
    until: Type.Optional(Until),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
)

export const AuditQuery = Type.Object(
  {
    type: Type.Optional(EventType),
    user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    since: Type.Optional(Since),
    until: Type.Optional(Until),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
)
