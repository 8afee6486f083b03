import { Type, type Static } from '@sinclair/typebox'
import { Timestamp } from './common.js'

export const SessionSchema = Type.Object(
  {
    id: Type.String(),
    created_at: Timestamp,
    last_seen_at: Timestamp,
    expires_at: Timestamp,
    ip: Type.Union([Type.String(), Type.Null()]),
    user_agent: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean({ description: 'True for the session making this request.' }),
  },
  { additionalProperties: false },
)
export type SessionJSON = Static<typeof SessionSchema>

export const SessionListSchema = Type.Array(SessionSchema)
