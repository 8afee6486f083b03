// The JSON side of social login: providers, native-app sign-in with an ID token, starting a link
// from a single-page app, and the caller's linked identities. The browser flow (start and
// callback) is in src/pages/routes/oauth.ts.
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { setSessionCookie } from '../cookies.js'
import { principalOf, requestContext } from '../guards.js'
import { setOAuthCookie } from '../oauth-cookie.js'
import { OAUTH_START_LIMITS, OAUTH_TOKEN_LIMITS } from '../oauth-limits.js'
import type { RouteDeps } from '../route-deps.js'
import { TokensSchema } from '../schemas/auth.js'
import { authenticated, IdParams, NoContent, problems } from '../schemas/common.js'
import { MfaRequiredSchema } from '../schemas/mfa.js'
import {
  IdentityListSchema,
  IdTokenBody,
  LinkStartSchema,
  ProviderListSchema,
  ProviderParams,
} from '../schemas/oauth.js'
import { encodeIdentity, encodeMfaRequired, encodeTokens } from '../serializers.js'
import type { TypeBoxProvider } from '../type-provider.js'

const tags = ['oauth']

export function oauthRoutes(instance: FastifyInstance, deps: RouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxProvider>()
  const { auth } = deps

  app.get(
    '/auth/oauth/providers',
    {
      schema: {
        tags,
        summary: 'The configured sign-in providers',
        response: { 200: ProviderListSchema },
      },
    },
    async (_request, reply) =>
      reply.send(auth.oauthProviders().map(({ name, label }) => ({ name, label }))),
  )

  app.post(
    '/auth/oauth/:provider/token',
    {
      onRequest: deps.limit(OAUTH_TOKEN_LIMITS),
      schema: {
        tags,
        summary: 'Sign in a native app with a provider ID token',
        description:
          'For Google and OIDC providers. The ID token is checked in full (signature from the issuer JWKS, `iss`, `aud` = our client id, `exp`, `iat`, and `nonce` when given) before Latchkey tokens are issued; the account policy is that of the browser flow (409 `oauth_account_exists`, never a silent link). With two-factor authentication on, answers `{mfa_required, mfa_token}`.',
        params: ProviderParams,
        body: IdTokenBody,
        response: {
          200: Type.Union([TokensSchema, MfaRequiredSchema]),
          ...problems(400, 401, 403, 404, 409, 413, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { id_token: idToken, nonce } = request.body
      const input = { provider: request.params.provider, idToken, nonce }
      const result = await auth.signInWithIdToken(input, requestContext(request))
      if (result.kind === 'mfa_required') return reply.send(encodeMfaRequired(result))
      setSessionCookie(reply, result.tokens)
      return reply.send(encodeTokens(result.tokens))
    },
  )

  app.post(
    '/auth/oauth/:provider/link',
    {
      onRequest: [deps.authenticated, deps.limit(OAUTH_START_LIMITS)],
      schema: {
        tags,
        summary: 'Begin linking a provider to the caller’s account',
        description:
          'Sets the transaction cookie and answers the provider URL to open in the same browser, whose session cookie must still be this session when the provider returns. The only way an identity whose email matches the account is ever linked.',
        security: authenticated,
        params: ProviderParams,
        response: { 200: LinkStartSchema, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const start = await auth.startOAuthLink(
        principal,
        request.params.provider,
        requestContext(request),
      )
      setOAuthCookie(reply, start)
      return reply.send({ authorization_url: start.authorizationURL })
    },
  )

  app.get(
    '/auth/identities',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'The caller’s linked outside identities',
        security: authenticated,
        response: { 200: IdentityListSchema, ...problems(401) },
      },
    },
    async (request, reply) => {
      const identities = await auth.listIdentities(principalOf(request))
      return reply.send(identities.map(encodeIdentity))
    },
  )

  app.delete(
    '/auth/identities/:id',
    {
      onRequest: deps.authenticated,
      schema: {
        tags,
        summary: 'Unlink one of the caller’s identities',
        description:
          '404 for an identity that is not the caller’s; 409 `last_sign_in_method` when it is the only way into the account (no password, no passkey, no other identity).',
        security: authenticated,
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await auth.unlinkIdentity(principalOf(request), request.params.id, requestContext(request))
      return reply.code(204).send(null)
    },
  )
}
