import type { FastifyInstance } from 'fastify'
import { principalOf, requestContext } from '../guards.js'
import {
  FORGOT_PASSWORD_LIMITS,
  PASSWORD_RESET_LIMITS,
  RESEND_VERIFICATION_LIMITS,
  VERIFY_EMAIL_LIMITS,
} from '../rate-limit.js'
import type { RouteDeps } from '../route-deps.js'
import { authenticated, NoContent, problems } from '../schemas/common.js'
import {
  AcceptedSchema,
  ForgotPasswordBody,
  ResetPasswordBody,
  VerifyEmailBody,
} from '../schemas/email.js'
import { UserSchema } from '../schemas/user.js'
import { decodePasswordReset, encodeUser } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['email']

// api.md lists `token_expired` among these routes' 400s; elsewhere it is 401 (an access token).
const linkTokenRoute = { problemStatus: { token_expired: 400 } }

// One body for every forgot answer, known address or not (SEC-ENUM-03).
const FORGOT_ACCEPTED = {
  message: 'If an account uses this address, a link to reset its password is on its way.',
}

export function emailRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  app.post(
    '/auth/email/verify',
    {
      onRequest: deps.limit(VERIFY_EMAIL_LIMITS),
      config: linkTokenRoute,
      schema: {
        tags,
        summary: 'Verify an email address with the token from the mail',
        description:
          'The token is single use and bound to the address it was sent to. 400 `invalid_token`, `token_expired` or `token_used`.',
        body: VerifyEmailBody,
        response: { 200: UserSchema, ...problems(400, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const user = await auth.verifyEmail(request.body.token, requestContext(request))
      return reply.send(encodeUser(user))
    },
  )

  app.post(
    '/auth/email/verify/resend',
    {
      onRequest: [deps.limit(RESEND_VERIFICATION_LIMITS), deps.authenticated],
      schema: {
        tags,
        summary: 'Send a new verification mail',
        description:
          'Nothing is sent when the address is already verified; the answer is the same.',
        security: authenticated,
        response: { 202: AcceptedSchema, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      await auth.resendVerification(principalOf(request), requestContext(request))
      return reply
        .code(202)
        .send({ message: 'If your address is not verified yet, a new link is on its way.' })
    },
  )

  app.post(
    '/auth/password/forgot',
    {
      onRequest: deps.limit(FORGOT_PASSWORD_LIMITS),
      schema: {
        tags,
        summary: 'Mail a password reset link',
        description:
          'Answers 202 with the same body and in the same time whether or not an account has the address; the link is issued and mailed in the background. Limited per caller address and per email address (429).',
        body: ForgotPasswordBody,
        response: { 202: AcceptedSchema, ...problems(400, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(request.body.email, requestContext(request))
      return reply.code(202).send(FORGOT_ACCEPTED)
    },
  )

  app.post(
    '/auth/password/reset',
    {
      onRequest: deps.limit(PASSWORD_RESET_LIMITS),
      config: linkTokenRoute,
      schema: {
        tags,
        summary: 'Set a new password with the token from the mail',
        description:
          'Ends every session of the account and does not sign in. 400 `invalid_token`, `token_expired` or `token_used`; 422 for a password the policy refuses (the link then still works).',
        body: ResetPasswordBody,
        response: { 204: NoContent, ...problems(400, 403, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      await auth.resetPassword(decodePasswordReset(request.body), requestContext(request))
      return reply.code(204).send(null)
    },
  )
}
