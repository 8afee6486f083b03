import type { FastifyInstance } from 'fastify'
import { principalOf, requestContext } from '../guards.js'
import { PASSWORD_CHANGE_LIMITS } from '../rate-limit.js'
import type { RouteDeps } from '../route-deps.js'
import { PasswordChangeBody } from '../schemas/auth.js'
import { authenticated, NoContent, problems } from '../schemas/common.js'
import { ProfilePatchBody, UserSchema, type UserJSON } from '../schemas/user.js'
import { decodePasswordChange, encodeUser, encodeUserText, JSON_TYPE } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['me']

export function meRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  app.get(
    '/auth/me',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'The caller',
        security: authenticated,
        response: { 200: UserSchema, ...problems(401) },
      },
    },
    // Not async: the hottest route answers without a promise of its own, with the user's JSON
    // text made once (the schema documents it; the text is what the warm lane sends too).
    (request, reply) => {
      const text = encodeUserText(principalOf(request).user)
      // The provider types the 200 body as the object; Fastify sends JSON text as it is.
      reply.type(JSON_TYPE).send(text as unknown as UserJSON)
    },
  )

  app.patch(
    '/auth/me',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'Update the caller’s name, username or profile',
        description: 'Role, email and email verification are not writable here (422).',
        security: authenticated,
        body: ProfilePatchBody,
        response: { 200: UserSchema, ...problems(400, 401, 403, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const { name, username, profile } = request.body
      const user = await auth.updateMe(
        principalOf(request),
        { name, username, profile },
        requestContext(request),
      )
      return reply.send(encodeUser(user))
    },
  )

  app.post(
    '/auth/password/change',
    {
      onRequest: [deps.limit(PASSWORD_CHANGE_LIMITS), deps.authenticated],
      schema: {
        tags,
        summary: 'Change the password',
        description: 'Needs the current password; every other session of the caller is ended.',
        security: authenticated,
        body: PasswordChangeBody,
        response: { 204: NoContent, ...problems(400, 401, 403, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      await auth.changePassword(
        principalOf(request),
        decodePasswordChange(request.body),
        requestContext(request),
      )
      return reply.code(204).send(null)
    },
  )
}
