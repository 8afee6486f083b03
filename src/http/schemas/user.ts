import { Type, type Static } from '@sinclair/typebox'
import { Cursor, Limit, Timestamp } from './common.js'

const ProfileValue = Type.Union([
  Type.String({ maxLength: 4096 }),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
])

/** Custom profile fields; which names and types are accepted is decided by core's PROFILE_FIELDS. */
export const ProfileSchema = Type.Record(Type.String({ maxLength: 128 }), ProfileValue, {
  maxProperties: 64,
  description: 'Custom profile fields, as configured by PROFILE_FIELDS.',
})

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    username: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.Literal('user'), Type.Literal('admin')]),
    email_verified: Type.Boolean(),
    mfa_enabled: Type.Boolean(),
    disabled: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
    profile: ProfileSchema,
  },
  { additionalProperties: false },
)
export type UserJSON = Static<typeof UserSchema>

// Caps here only stop absurd inputs early; core gives the precise 422 (lengths in code points,
// password policy) so a valid long password is never refused by the schema first (SEC-PWD-02).
const Email = Type.String({ minLength: 1, maxLength: 254 })
const Password = Type.String({ maxLength: 4096 })
const Username = Type.String({ maxLength: 256 })
const Name = Type.String({ maxLength: 1024 })

/** `additionalProperties: false`: `role`, `email_verified` and the like are refused (SEC-AUTHZ-03). */
export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    username: Type.Optional(Username),
    name: Type.Optional(Name),
    profile: Type.Optional(ProfileSchema),
  },
  { additionalProperties: false },
)

export const ProfilePatchBody = Type.Object(
  {
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    username: Type.Optional(Type.Union([Username, Type.Null()])),
    profile: Type.Optional(ProfileSchema),
  },
  {
    additionalProperties: false,
    description: 'Role, email and verification are not writable here.',
  },
)

export const AdminUserPatchBody = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('admin')])),
    disabled: Type.Optional(Type.Boolean({ description: 'Disabling revokes every session.' })),
    email_verified: Type.Optional(Type.Boolean()),
    mfa_enabled: Type.Optional(
      Type.Literal(false, {
        description:
          'Only false: resets the user’s two-factor authentication (lost device) and revokes their sessions. Only the user can turn it on.',
      }),
    ),
  },
  { additionalProperties: false },
)

export const UserListQuery = Type.Object(
  {
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Substring of email, username or name.',
      }),
    ),
  },
  { additionalProperties: false },
)

export const UserPageSchema = Type.Object(
  { items: Type.Array(UserSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
)
export type UserPageJSON = Static<typeof UserPageSchema>
