// RFC 7662 token introspection for resource servers that verify access tokens offline
// (latchkey/verify) but want revocation to reach them at once: they ask here whether the
// token's session is still alive.
import { createHash } from 'node:crypto'
import fastifyFormbody from '@fastify/formbody'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { IntrospectionClient } from '../../config/parse-operations.js'
import type { Auth } from '../../core/auth-api.js'
import { AuthError, isAuthError } from '../../core/errors.js'
import { constantTimeEqual } from '../../crypto/constant-time.js'
import { handleError, sendProblem } from '../problem.js'
import { problems } from '../schemas/common.js'
import { securityHeaders } from '../security-headers.js'
import type { HttpSettings } from '../../config/config.js'
import type { TypeBoxProvider } from '../type-provider.js'

export interface IntrospectionPluginOptions {
  readonly auth: Auth
  readonly http: HttpSettings
  /** Registered resource servers; with none the route answers every caller 401. */
  readonly clients: readonly IntrospectionClient[]
}

const IntrospectionRequestSchema = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 4096 }),
  // RFC 7662 §2.1: a hint only; we introspect access tokens and say inactive to anything else.
  token_type_hint: Type.Optional(Type.String({ maxLength: 64 })),
  client_id: Type.Optional(Type.String({ maxLength: 256 })),
  client_secret: Type.Optional(Type.String({ maxLength: 1024 })),
})

const IntrospectionResponseSchema = Type.Object(
  {
    active: Type.Boolean(),
    sub: Type.Optional(Type.String()),
    sid: Type.Optional(Type.String()),
    role: Type.Optional(Type.String()),
    exp: Type.Optional(Type.Integer()),
    iat: Type.Optional(Type.Integer()),
    iss: Type.Optional(Type.String()),
    aud: Type.Optional(Type.String()),
    jti: Type.Optional(Type.String()),
    token_type: Type.Optional(Type.Literal('Bearer')),
  },
  { additionalProperties: false },
)

interface ClientCredentials {
  readonly id: string
  readonly secret: string
}

/** RFC 6749 §2.3.1: Basic with the id and secret each form-urlencoded before base64. */
function basicCredentials(request: FastifyRequest): ClientCredentials | null {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(request.headers.authorization ?? '')
  if (match?.[1] === undefined) return null
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return null
  try {
    const unescape = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '))
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) }
  } catch {
    return null // malformed percent-encoding
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/** Checks every registered client, without an early exit, in constant time per comparison. */
function isRegisteredClient(
  clients: readonly { id: Buffer; secret: Buffer }[],
  given: ClientCredentials,
): boolean {
  const id = digest(given.id)
  const secret = digest(given.secret)
  let found = false
  for (const client of clients) {
    const match = constantTimeEqual(client.id, id) && constantTimeEqual(client.secret, secret)
    found = found || match
  }
  return found
}

/** The claims of a token `auth.authenticate` has just verified (signature, iss, aud, exp). */
function verifiedClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? ''
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  return typeof claims === 'object' && claims !== null ? { ...claims } : {}
}

function unauthorizedClient(reply: FastifyReply): FastifyReply {
  reply.header('www-authenticate', 'Basic realm="latchkey-introspection"')
  return sendProblem(
    reply,
    new AuthError('not_authenticated', { detail: 'Unknown client or wrong client secret.' }),
  )
}

async function introspection(
  instance: FastifyInstance,
  opts: IntrospectionPluginOptions,
): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const clients = opts.clients.map((c) => ({ id: digest(c.id), secret: digest(c.secret) }))
  await app.register(fastifyFormbody, { bodyLimit: opts.http.bodyLimitBytes })
  app.setErrorHandler(handleError)
  app.addHook('onSend', securityHeaders(opts.http))

  app.post(
    '/oauth/introspect',
    {
      schema: {
        tags: ['oauth'],
        summary: 'RFC 7662 token introspection for registered resource servers',
        description:
          'Client authentication: HTTP Basic (client_secret_basic) or client_id and ' +
          'client_secret in the form body. Answers {"active": false} for an invalid, expired ' +
          'or revoked token, so revocation reaches resource servers at once.',
        consumes: ['application/x-www-form-urlencoded'],
        body: IntrospectionRequestSchema,
        response: { 200: IntrospectionResponseSchema, ...problems(400, 401, 415, 422) },
      },
    },
    async (request, reply) => {
      const { body } = request
      const given =
        basicCredentials(request) ??
        (body.client_id === undefined || body.client_secret === undefined
          ? null
          : { id: body.client_id, secret: body.client_secret })
      if (given === null || !isRegisteredClient(clients, given)) return unauthorizedClient(reply)
      reply.header('cache-control', 'no-store')
      try {
        const principal = await opts.auth.authenticate({ kind: 'bearer', token: body.token })
        const claims = verifiedClaims(body.token)
        const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
        const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
        return reply.send({
          active: true,
          sub: principal.user.id,
          sid: principal.session.id,
          role: principal.user.role,
          exp: num(claims['exp']),
          iat: num(claims['iat']),
          iss: str(claims['iss']),
          aud: opts.auth.settings.audience,
          jti: str(claims['jti']),
          token_type: 'Bearer' as const,
        })
      } catch (error) {
        // Anything the API would refuse (bad, expired, revoked) is simply inactive (§2.2).
        if (isAuthError(error)) return reply.send({ active: false })
        throw error
      }
    },
  )
}

/** Registers POST /oauth/introspect in its own context (form bodies, not the JSON API's parser). */
export const introspectionPlugin: FastifyPluginAsync<IntrospectionPluginOptions> = introspection
