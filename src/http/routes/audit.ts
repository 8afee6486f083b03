import type { FastifyInstance } from 'fastify'
import { principalOf } from '../guards.js'
import type { RouteDeps } from '../route-deps.js'
import { AuditPageSchema, AuditQuery, UserEventsQuery } from '../schemas/audit.js'
import { authenticated, IdParams, problems } from '../schemas/common.js'
import { decodeAuditQuery, encodeAuditEvent, encodePage } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['audit']

export function auditRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  // Two paths, one answer (api.md); object-level access is core's: own events or admin (SEC-AUTHZ-02).
  for (const url of ['/users/:id/logs', '/audit/users/:id']) {
    app.get(
      url,
      {
        onRequest: deps.authenticated,
        schema: {
          tags,
          summary: 'One user’s audit events (newest first)',
          description: 'A user may read their own events, an admin anyone’s.',
          security: authenticated,
          params: IdParams,
          querystring: UserEventsQuery,
          response: { 200: AuditPageSchema, ...problems(401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const query = decodeAuditQuery(request.query)
        const page = await auth.listUserEvents(principalOf(request), request.params.id, query)
        return reply.send(encodePage(page, encodeAuditEvent))
      },
    )
  }

  app.get(
    '/audit',
    {
      onRequest: [deps.authenticated, deps.admin],
      schema: {
        tags,
        summary: 'Search the audit log (admin)',
        security: authenticated,
        querystring: AuditQuery,
        response: { 200: AuditPageSchema, ...problems(401, 403, 422) },
      },
    },
    async (request, reply) => {
      const page = await auth.listEvents(principalOf(request), decodeAuditQuery(request.query))
      return reply.send(encodePage(page, encodeAuditEvent))
    },
  )
}
