import { Type, type Static } from '@sinclair/typebox'
import { Timestamp } from './common.js'

export const ProviderParams = Type.Object(
  { provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }) },
  { additionalProperties: false },
)

export const ProviderListSchema = Type.Array(
  Type.Object(
    {
      name: Type.String({ description: 'The path segment, e.g. `google`.' }),
      label: Type.String({ description: 'For buttons, e.g. "Google".' }),
    },
    { additionalProperties: false },
  ),
)
export type ProviderListJSON = Static<typeof ProviderListSchema>

export const IdTokenBody = Type.Object(
  {
    // A JWS compact serialisation; 8 KiB is far above any provider's ID token.
    id_token: Type.String({ minLength: 1, maxLength: 8192 }),
    nonce: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
)

export const LinkStartSchema = Type.Object(
  {
    authorization_url: Type.String({
      description: 'Open it in the browser that holds the session; the transaction cookie is set.',
    }),
  },
  { additionalProperties: false },
)
export type LinkStartJSON = Static<typeof LinkStartSchema>

export const IdentitySchema = Type.Object(
  {
    id: Type.String(),
    provider: Type.String(),
    email: Type.Union([Type.String(), Type.Null()], {
      description: 'As the provider reported it when linked.',
    }),
    created_at: Timestamp,
  },
  { additionalProperties: false },
)
export type IdentityJSON = Static<typeof IdentitySchema>

export const IdentityListSchema = Type.Array(IdentitySchema)
