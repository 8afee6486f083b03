import { Type, type Static } from '@sinclair/typebox'

/** A TOTP code (6 digits) or a recovery code (`xxxxx-xxxxx`); spaces are ignored. */
const Code = Type.String({
  minLength: 6,
  maxLength: 32,
  description: 'The 6-digit code from the authenticator app, or an unused recovery code.',
})

export const MfaCodeBody = Type.Object({ code: Code }, { additionalProperties: false })

export const EnableBody = Type.Object(
  {
    code: Type.String({
      minLength: 6,
      maxLength: 16,
      description: 'The current 6-digit code from the app, proving it was set up right.',
    }),
  },
  { additionalProperties: false },
)

export const MfaLoginBody = Type.Object(
  {
    mfa_token: Type.String({
      minLength: 1,
      maxLength: 512,
      description: 'From the `mfa_required` answer of `POST /auth/login`.',
    }),
    code: Code,
  },
  { additionalProperties: false },
)

export const MfaRequiredSchema = Type.Object(
  {
    mfa_required: Type.Literal(true),
    mfa_token: Type.String({
      description:
        'Single use, bound to the account, valid for 5 minutes; send it with a code to `POST /auth/login/mfa`. It is not a credential for anything else.',
    }),
    expires_in: Type.Integer({ description: 'Seconds until the mfa_token expires.' }),
  },
  {
    additionalProperties: false,
    description: 'The password was right and two-factor authentication is on: no session yet.',
  },
)
export type MfaRequiredJSON = Static<typeof MfaRequiredSchema>

export const TotpSetupSchema = Type.Object(
  {
    secret: Type.String({ description: 'Base32 TOTP secret, for typing into the app by hand.' }),
    otpauth_url: Type.String({ description: '`otpauth://totp/...` (SHA-1, 6 digits, 30 s).' }),
    qr_svg: Type.String({ description: 'The otpauth URL as an SVG QR code.' }),
  },
  {
    additionalProperties: false,
    description: 'Shown until the factor is enabled, never after.',
  },
)
export type TotpSetupJSON = Static<typeof TotpSetupSchema>

export const RecoveryCodesSchema = Type.Object(
  {
    recovery_codes: Type.Array(Type.String(), {
      description: 'Ten single-use codes, shown this once; a new set voids the old one.',
    }),
  },
  { additionalProperties: false },
)

export const MfaStatusSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    pending: Type.Boolean({ description: 'Set up but not yet confirmed with a code.' }),
    recovery_codes_left: Type.Integer(),
  },
  { additionalProperties: false },
)
export type MfaStatusJSON = Static<typeof MfaStatusSchema>
