import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { abandonableRequestContext, principalOf, requestContext } from '../guards.js'
import { clearSessionCookie, setSessionCookie } from '../cookies.js'
import { LOGIN_LIMITS, REFRESH_LIMITS, REGISTER_LIMITS } from '../rate-limit.js'
import type { RouteDeps } from '../route-deps.js'
import { LoginBody, RefreshBody, TokensSchema } from '../schemas/auth.js'
import { authenticated, NoContent, problems } from '../schemas/common.js'
import { MfaRequiredSchema } from '../schemas/mfa.js'
import { RegisterBody, UserSchema } from '../schemas/user.js'
import { decodeLogin, encodeMfaRequired, encodeTokens, encodeUser } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['auth']

export function authRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  app.post(
    '/auth/register',
    {
      onRequest: deps.limit(REGISTER_LIMITS),
      schema: {
        tags,
        summary: 'Create an account',
        body: RegisterBody,
        response: { 201: UserSchema, ...problems(400, 403, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const { email, password, username, name, profile } = request.body
      const user = await auth.register(
        { email, password, username, name, profile },
        requestContext(request),
      )
      return reply.code(201).send(encodeUser(user))
    },
  )

  app.post(
    '/auth/login',
    {
      onRequest: deps.limit(LOGIN_LIMITS),
      schema: {
        tags,
        summary: 'Sign in with a password',
        description:
          'Answers the tokens and sets the session cookie. Give exactly one of `email` and `username`. With two-factor authentication on, answers `{mfa_required: true, mfa_token}` instead, with no session and no cookie: finish with `POST /auth/login/mfa`.',
        body: LoginBody,
        response: {
          200: Type.Union([TokensSchema, MfaRequiredSchema]),
          ...problems(400, 401, 403, 413, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const result = await auth.login(
        decodeLogin(request.body),
        abandonableRequestContext(request, reply),
      )
      if (result.kind === 'mfa_required') return reply.send(encodeMfaRequired(result))
      setSessionCookie(reply, result.tokens)
      return reply.send(encodeTokens(result.tokens))
    },
  )

  app.post(
    '/auth/refresh',
    {
      onRequest: deps.limit(REFRESH_LIMITS),
      schema: {
        tags,
        summary: 'Rotate a refresh token',
        description:
          'The presented refresh token is spent; a reuse after the grace window ends the session.',
        body: RefreshBody,
        response: { 200: TokensSchema, ...problems(400, 401, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const tokens = await auth.refresh(request.body.refresh_token, requestContext(request))
      return reply.send(encodeTokens(tokens))
    },
  )

  app.post(
    '/auth/logout',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'End this session',
        description:
          'Revokes the session (its cookie, access tokens and refresh token) and clears the cookie.',
        security: authenticated,
        response: { 204: NoContent, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await auth.logout(principalOf(request), requestContext(request))
      clearSessionCookie(reply)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/auth/logout-all',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'End every session of the caller',
        security: authenticated,
        response: { 204: NoContent, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await auth.logoutAll(principalOf(request), requestContext(request))
      clearSessionCookie(reply)
      return reply.code(204).send(null)
    },
  )
}
