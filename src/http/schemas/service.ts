import { Type, type Static } from '@sinclair/typebox'

export const StatusSchema = Type.Object(
  { status: Type.Literal('ok') },
  { additionalProperties: false },
)

/** Public members only: a private `d` (or anything else) cannot pass (SEC-AUTHZ-05). */
export const JWKSchema = Type.Object(
  {
    kty: Type.String(),
    kid: Type.Optional(Type.String()),
    alg: Type.Optional(Type.String()),
    use: Type.Optional(Type.String()),
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type JWKJSON = Static<typeof JWKSchema>

export const JWKSSchema = Type.Object(
  { keys: Type.Array(JWKSchema) },
  { additionalProperties: false },
)
export type JWKSJSON = Static<typeof JWKSSchema>
