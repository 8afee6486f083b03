import type { FastifyInstance } from 'fastify'
import { principalOf, requestContext } from '../guards.js'
import type { RouteDeps } from '../route-deps.js'
import { authenticated, IdParams, NoContent, problems } from '../schemas/common.js'
import { AdminUserPatchBody, UserListQuery, UserPageSchema, UserSchema } from '../schemas/user.js'
import { decodeAdminUserPatch, encodePage, encodeUser } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['admin']

// Role checked here and again by core (SEC-AUTHZ-01): a forgotten hook is not a hole.
export function adminRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps
  const onRequest = [deps.authenticated, deps.admin]

  app.get(
    '/users',
    {
      onRequest,
      schema: {
        tags,
        summary: 'List users (newest first)',
        security: authenticated,
        querystring: UserListQuery,
        response: { 200: UserPageSchema, ...problems(401, 403, 422) },
      },
    },
    async (request, reply) => {
      const page = await auth.listUsers(principalOf(request), request.query)
      return reply.send(encodePage(page, encodeUser))
    },
  )

  app.get(
    '/users/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'One user',
        security: authenticated,
        params: IdParams,
        response: { 200: UserSchema, ...problems(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      return reply.send(encodeUser(await auth.getUser(principalOf(request), request.params.id)))
    },
  )

  app.patch(
    '/users/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change a user’s role, disabled flag or email verification',
        description: 'Disabling a user revokes all of their sessions at once.',
        security: authenticated,
        params: IdParams,
        body: AdminUserPatchBody,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const patch = decodeAdminUserPatch(request.body)
      const user = await auth.updateUser(
        principalOf(request),
        request.params.id,
        patch,
        requestContext(request),
      )
      return reply.send(encodeUser(user))
    },
  )

  app.post(
    '/users/:id/revoke-sessions',
    {
      onRequest,
      schema: {
        tags,
        summary: 'End every session of a user',
        security: authenticated,
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await auth.revokeUserSessions(
        principalOf(request),
        request.params.id,
        requestContext(request),
      )
      return reply.code(204).send(null)
    },
  )
}
