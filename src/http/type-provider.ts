import type { Static, TSchema } from '@sinclair/typebox'
import type { FastifyTypeProvider } from 'fastify'

/**
 * Lets the TypeBox route schemas type `request.body`, `request.query` and each status code's
 * reply, so the one schema drives validation, static types and OpenAPI (design: anti-pattern 2).
 * Equivalent to @fastify/type-provider-typebox without the extra dependency.
 */
export interface TypeBoxProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown
  readonly serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown
}
