import type { FastifyInstance } from 'fastify'
import { setSessionCookie } from '../cookies.js'
import { principalOf, requestContext } from '../guards.js'
import { PASSKEY_LIMITS } from '../mfa-limits.js'
import type { RouteDeps } from '../route-deps.js'
import { TokensSchema } from '../schemas/auth.js'
import { authenticated, NoContent, problems } from '../schemas/common.js'
import {
  CreationOptionsSchema,
  LoginVerifyBody,
  PasskeyListSchema,
  PasskeyParams,
  PasskeySchema,
  RegisterVerifyBody,
  RequestOptionsSchema,
} from '../schemas/passkeys.js'
import { encodePasskey, encodeTokens } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['passkeys']

// The RP ID and expected origin come from PUBLIC_URL in core, never from this request's Host.
export function passkeyRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps
  const limit = deps.limit(PASSKEY_LIMITS)

  app.post(
    '/auth/passkeys/register/options',
    {
      onRequest: [limit, deps.authenticated],
      schema: {
        tags,
        summary: 'Options to create a passkey for the signed-in user',
        description:
          'A discoverable credential with user verification. The challenge is single use and expires in 5 minutes. Needs a sign-in from the last 15 minutes.',
        security: authenticated,
        response: { 200: CreationOptionsSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const options = await auth.passkeyRegistrationOptions(
        principalOf(request),
        requestContext(request),
      )
      return reply.send(options)
    },
  )

  app.post(
    '/auth/passkeys/register/verify',
    {
      onRequest: [limit, deps.authenticated],
      schema: {
        tags,
        summary: 'Save the passkey the browser created',
        security: authenticated,
        body: RegisterVerifyBody,
        response: { 201: PasskeySchema, ...problems(400, 401, 403, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const passkey = await auth.registerPasskey(
        principalOf(request),
        { response: request.body.credential, name: request.body.name },
        requestContext(request),
      )
      return reply.code(201).send(encodePasskey(passkey))
    },
  )

  app.post(
    '/auth/passkeys/login/options',
    {
      onRequest: limit,
      schema: {
        tags,
        summary: 'Options to sign in with a passkey',
        description: 'No user is named: the authenticator offers its passkeys for this site.',
        response: { 200: RequestOptionsSchema, ...problems(400, 403, 429) },
      },
    },
    async (request, reply) => {
      return reply.send(await auth.passkeyLoginOptions(requestContext(request)))
    },
  )

  app.post(
    '/auth/passkeys/login/verify',
    {
      onRequest: limit,
      schema: {
        tags,
        summary: 'Sign in with a passkey',
        description:
          'A new session, its tokens and cookie. A passkey with user verification satisfies two-factor authentication: no `mfa_required` step follows.',
        body: LoginVerifyBody,
        response: { 200: TokensSchema, ...problems(400, 401, 403, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const tokens = await auth.loginWithPasskey(request.body.credential, requestContext(request))
      setSessionCookie(reply, tokens)
      return reply.send(encodeTokens(tokens))
    },
  )

  app.get(
    '/auth/passkeys',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'The signed-in user’s passkeys',
        security: authenticated,
        response: { 200: PasskeyListSchema, ...problems(401) },
      },
    },
    async (request, reply) => {
      const passkeys = await auth.listPasskeys(principalOf(request))
      return reply.send(passkeys.map(encodePasskey))
    },
  )

  app.delete(
    '/auth/passkeys/:id',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'Delete one of the signed-in user’s passkeys',
        description: 'A passkey that is not the caller’s answers 404, as an unknown one does.',
        security: authenticated,
        params: PasskeyParams,
        response: { 204: NoContent, ...problems(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await auth.deletePasskey(principalOf(request), request.params.id, requestContext(request))
      return reply.code(204).send(null)
    },
  )
}
