import type { FastifyInstance } from 'fastify'
import { clearSessionCookie } from '../cookies.js'
import { principalOf, requestContext } from '../guards.js'
import type { RouteDeps } from '../route-deps.js'
import { authenticated, IdParams, NoContent, problems } from '../schemas/common.js'
import { SessionListSchema } from '../schemas/session.js'
import { encodeSessionView } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['sessions']

export function sessionRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  app.get(
    '/auth/sessions',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'The caller’s active sessions',
        security: authenticated,
        response: { 200: SessionListSchema, ...problems(401) },
      },
    },
    async (request, reply) => {
      const views = await auth.listSessions(principalOf(request))
      return reply.send(views.map(encodeSessionView))
    },
  )

  app.delete(
    '/auth/sessions/:id',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'End one of the caller’s sessions',
        description: 'A session that is not the caller’s answers 404, as an unknown one does.',
        security: authenticated,
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      await auth.revokeSession(principal, request.params.id, requestContext(request))
      if (principal.via === 'cookie' && principal.session.id === request.params.id)
        clearSessionCookie(reply)
      return reply.code(204).send(null)
    },
  )
}
