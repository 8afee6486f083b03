import type { FastifyInstance } from 'fastify'
import { setSessionCookie } from '../cookies.js'
import { principalOf, requestContext } from '../guards.js'
import { MFA_CODE_LIMITS } from '../mfa-limits.js'
import { renderQRCodeSVG } from '../qr.js'
import type { RouteDeps } from '../route-deps.js'
import { TokensSchema } from '../schemas/auth.js'
import { authenticated, NoContent, problems } from '../schemas/common.js'
import {
  EnableBody,
  MfaCodeBody,
  MfaLoginBody,
  MfaStatusSchema,
  RecoveryCodesSchema,
  TotpSetupSchema,
} from '../schemas/mfa.js'
import { encodeMfaStatus, encodeTokens, encodeTotpSetup } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['2fa']

export function mfaRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps
  const codeLimit = deps.limit(MFA_CODE_LIMITS)
  const signedIn = { onRequest: [codeLimit, deps.authenticated] }

  app.post(
    '/auth/login/mfa',
    {
      onRequest: codeLimit,
      schema: {
        tags: ['auth'],
        summary: 'Finish a sign-in with a TOTP or recovery code',
        description:
          'The second step after `POST /auth/login` answered `mfa_required`: a new session, its tokens and cookie. Wrong codes are limited per account.',
        body: MfaLoginBody,
        response: { 200: TokensSchema, ...problems(400, 401, 403, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const { mfa_token: mfaToken, code } = request.body
      const tokens = await auth.completeMfaLogin({ mfaToken, code }, requestContext(request))
      setSessionCookie(reply, tokens)
      return reply.send(encodeTokens(tokens))
    },
  )

  app.get(
    '/auth/2fa',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'Whether two-factor authentication is on',
        security: authenticated,
        response: { 200: MfaStatusSchema, ...problems(401) },
      },
    },
    async (request, reply) => {
      return reply.send(encodeMfaStatus(await auth.mfaStatus(principalOf(request))))
    },
  )

  app.post(
    '/auth/2fa/setup',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Start setting up a TOTP authenticator app',
        description:
          'A new secret, its otpauth URL and QR code. Nothing changes until `POST /auth/2fa/enable` confirms a code. 409 while 2FA is on: to re-enrol, disable it first. Needs a sign-in from the last 15 minutes.',
        security: authenticated,
        response: { 200: TotpSetupSchema, ...problems(401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const setup = await auth.setupTotp(principalOf(request), requestContext(request))
      return reply.send(encodeTotpSetup(setup, await renderQRCodeSVG(setup.otpauthURL)))
    },
  )

  app.post(
    '/auth/2fa/enable',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Turn two-factor authentication on with a first code',
        description: 'Answers the ten recovery codes, shown this once.',
        security: authenticated,
        body: EnableBody,
        response: { 200: RecoveryCodesSchema, ...problems(400, 401, 403, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const codes = await auth.enableTotp(
        principalOf(request),
        request.body.code,
        requestContext(request),
      )
      return reply.send({ recovery_codes: [...codes] })
    },
  )

  app.post(
    '/auth/2fa/disable',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Turn two-factor authentication off',
        description: 'Needs a current TOTP code or an unused recovery code.',
        security: authenticated,
        body: MfaCodeBody,
        response: { 204: NoContent, ...problems(400, 401, 403, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      await auth.disableTotp(principalOf(request), request.body.code, requestContext(request))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/auth/2fa/recovery-codes',
    {
      ...signedIn,
      schema: {
        tags,
        summary: 'Replace the recovery codes',
        description:
          'Needs a current TOTP code or an unused recovery code. The old codes stop working at once; the new ones are shown this once.',
        security: authenticated,
        body: MfaCodeBody,
        response: { 200: RecoveryCodesSchema, ...problems(400, 401, 403, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const codes = await auth.regenerateRecoveryCodes(
        principalOf(request),
        request.body.code,
        requestContext(request),
      )
      return reply.send({ recovery_codes: [...codes] })
    },
  )
}
