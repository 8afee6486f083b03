import { Type } from '@sinclair/typebox'

/** Its shape is checked by core, so a malformed token gets the contract's 400 `invalid_token`. */
const LinkToken = Type.String({
  minLength: 1,
  maxLength: 512,
  description: 'The `token` query parameter of the link in the mail.',
})

const Password = Type.String({ maxLength: 4096 })

export const VerifyEmailBody = Type.Object({ token: LinkToken }, { additionalProperties: false })

export const ForgotPasswordBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }) },
  { additionalProperties: false },
)

export const ResetPasswordBody = Type.Object(
  { token: LinkToken, new_password: Password },
  { additionalProperties: false },
)

export const AcceptedSchema = Type.Object(
  { message: Type.String() },
  {
    additionalProperties: false,
    description: 'Accepted; the mail, if any, is sent in the background.',
  },
)
