import { Type, type Static } from '@sinclair/typebox'
import { UserSchema } from './user.js'

const Password = Type.String({ maxLength: 4096 })

/** Exactly one of `email` and `username`; checked when decoding (a oneOf gives poor messages). */
export const LoginBody = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    password: Password,
  },
  { additionalProperties: false, description: 'Give exactly one of `email` and `username`.' },
)

export const RefreshBody = Type.Object(
  { refresh_token: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
)

export const PasswordChangeBody = Type.Object(
  { current_password: Password, new_password: Password },
  { additionalProperties: false },
)

export const TokensSchema = Type.Object(
  {
    access_token: Type.String({ description: 'JWT: sub, sid, iat, exp, iss, aud, jti.' }),
    token_type: Type.Literal('bearer'),
    expires_in: Type.Integer({ description: 'Seconds until the access token expires.' }),
    refresh_token: Type.String({ description: 'Single use; rotated on every refresh.' }),
    user: UserSchema,
  },
  { additionalProperties: false },
)
export type TokensJSON = Static<typeof TokensSchema>
