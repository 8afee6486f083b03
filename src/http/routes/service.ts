import type { FastifyInstance } from 'fastify'
import { AuthError } from '../../core/errors.js'
import type { RouteDeps } from '../route-deps.js'
import { problems } from '../schemas/common.js'
import { JWKSSchema, StatusSchema } from '../schemas/service.js'
import { encodeJWKS } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['service']

// Public keys change only on rotation, and verifiers refetch on an unknown `kid` anyway.
const JWKS_CACHE_CONTROL = 'public, max-age=300'

export function serviceRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  app.get(
    '/healthz',
    {
      schema: {
        tags,
        summary: 'Liveness: 200 while the process runs',
        response: { 200: StatusSchema },
      },
    },
    async (_request, reply) => reply.send({ status: 'ok' }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: 200 when the store answers, else 503',
        response: { 200: StatusSchema, ...problems(503) },
      },
    },
    async (_request, reply) => {
      if (!(await auth.isReady())) {
        throw new AuthError('service_unavailable', {
          detail: 'The store does not answer.',
          retryAfterSeconds: 5,
        })
      }
      return reply.send({ status: 'ok' })
    },
  )

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags,
        summary: 'Public keys that sign access tokens',
        response: { 200: JWKSSchema },
      },
    },
    async (_request, reply) => {
      return reply.header('cache-control', JWKS_CACHE_CONTROL).send(encodeJWKS(auth.jwks()))
    },
  )
}
