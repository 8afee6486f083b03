// WebAuthn options and responses in the W3C JSON forms (PublicKeyCredentialCreationOptionsJSON,
// RegistrationResponseJSON, ...), camelCase as the browser APIs and client libraries use them.
// Response schemas leave room for members newer browsers add; request schemas are strict.
import { Type, type Static } from '@sinclair/typebox'
import { Timestamp } from './common.js'

const open = { additionalProperties: true } as const

// base64url, padding tolerated; a WebAuthn credential id is at most 1023 bytes (1364 chars).
const Base64URL = (maxLength: number): ReturnType<typeof Type.String> =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$' })
const CredentialId = Base64URL(1400)
const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })
const Extensions = Type.Object({}, { ...open, maxProperties: 32 })

const Descriptor = Type.Object(
  { id: Type.String(), type: Type.String(), transports: Type.Optional(Transports) },
  open,
)

export const CreationOptionsSchema = Type.Object(
  {
    rp: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }, open),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }, open),
    challenge: Type.String(),
    pubKeyCredParams: Type.Array(
      Type.Object({ alg: Type.Integer(), type: Type.Literal('public-key') }, open),
    ),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(Descriptor)),
    authenticatorSelection: Type.Optional(
      Type.Object(
        {
          authenticatorAttachment: Type.Optional(Type.String()),
          residentKey: Type.Optional(Type.String()),
          requireResidentKey: Type.Optional(Type.Boolean()),
          userVerification: Type.Optional(Type.String()),
        },
        open,
      ),
    ),
    hints: Type.Optional(Type.Array(Type.String())),
    attestation: Type.Optional(Type.String()),
    extensions: Type.Optional(Extensions),
  },
  {
    ...open,
    description:
      'PublicKeyCredentialCreationOptionsJSON: pass to `navigator.credentials.create` (after PublicKeyCredential.parseCreationOptionsFromJSON).',
  },
)

export const RequestOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    timeout: Type.Optional(Type.Integer()),
    rpId: Type.Optional(Type.String()),
    allowCredentials: Type.Optional(Type.Array(Descriptor)),
    userVerification: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  {
    ...open,
    description:
      'PublicKeyCredentialRequestOptionsJSON for a discoverable-credential sign-in (no allowCredentials).',
  },
)

const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')])

export const RegistrationCredential = Type.Object(
  {
    id: CredentialId,
    rawId: CredentialId,
    response: Type.Object(
      {
        clientDataJSON: Base64URL(4096),
        attestationObject: Base64URL(65536),
        authenticatorData: Type.Optional(Base64URL(65536)),
        transports: Type.Optional(Transports),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(Base64URL(8192)),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
    type: Type.Literal('public-key'),
  },
  {
    additionalProperties: false,
    description: 'RegistrationResponseJSON (PublicKeyCredential.toJSON()).',
  },
)

export const RegisterVerifyBody = Type.Object(
  {
    credential: RegistrationCredential,
    name: Type.Optional(
      Type.String({ maxLength: 64, description: 'A name to tell passkeys apart, e.g. "Laptop".' }),
    ),
  },
  { additionalProperties: false },
)

export const AuthenticationCredential = Type.Object(
  {
    id: CredentialId,
    rawId: CredentialId,
    response: Type.Object(
      {
        clientDataJSON: Base64URL(4096),
        authenticatorData: Base64URL(65536),
        // ML-DSA (post-quantum) signatures run to 4.6 KB (6.2k base64url characters); Chromium's
        // authenticator uses ML-DSA-44 where the server offers it (Node 24's WebCrypto does).
        signature: Base64URL(8192),
        userHandle: Type.Optional(
          Type.String({ maxLength: 128, pattern: '^[A-Za-z0-9_-]*={0,2}$' }),
        ),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
    type: Type.Literal('public-key'),
  },
  {
    additionalProperties: false,
    description: 'AuthenticationResponseJSON (PublicKeyCredential.toJSON()).',
  },
)

export const LoginVerifyBody = Type.Object(
  { credential: AuthenticationCredential },
  { additionalProperties: false },
)

export const PasskeySchema = Type.Object(
  {
    id: Type.String({
      description: 'Handle for DELETE /auth/passkeys/{id} (not the credential id).',
    }),
    name: Type.Union([Type.String(), Type.Null()]),
    created_at: Timestamp,
    last_used_at: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false },
)
export type PasskeyJSON = Static<typeof PasskeySchema>

export const PasskeyListSchema = Type.Array(PasskeySchema)

export const PasskeyParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)
