import { readFileSync } from 'node:fs'
import type { SwaggerOptions } from '@fastify/swagger'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import { SESSION_COOKIE } from './cookies.js'
import { handleError } from './problem.js'
import { registerRedoc } from './redoc.js'
import { securityHeaders } from './security-headers.js'

export interface ApiDocsOptions {
  readonly http: HttpSettings
}

// Swagger UI injects inline styles and shows its logo and icons as data: URIs; its scripts are
// files from the local package (no CDN), so script-src stays 'self' with no inline or eval.
const SWAGGER_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'",
].join('; ')

const DESCRIPTION = `The Latchkey HTTP API. Errors are application/problem+json (RFC 9457) with a stable \`code\`.

Credentials: \`Authorization: Bearer <access_token>\`, or the \`${SESSION_COOKIE}\` cookie set by login.

CSRF: a cookie-authenticated POST, PATCH, PUT or DELETE must have an \`application/json\` body or an
\`X-Requested-With\` header (any value), and any unsafe request without a bearer token that carries an
\`Origin\` must come from this server's origin or a configured CORS origin; otherwise 403 \`csrf_failed\`.
Bearer-authenticated requests need neither. Request bodies are accepted only as \`application/json\`.`

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
  const parsed: unknown = JSON.parse(text)
  const version: unknown =
    typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'version') : undefined
  return typeof version === 'string' ? version : '0.0.0'
}

/** The OpenAPI document is generated from the route schemas; nothing here describes a route. */
export function openAPIOptions(http: HttpSettings): SwaggerOptions {
  return {
    // Every API route has tags; HTML pages and assets have none and are not part of the API.
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Latchkey', version: packageVersion(), description: DESCRIPTION },
      servers: [{ url: http.publicUrl }],
      tags: [
        { name: 'auth', description: 'Registration, login, refresh and logout' },
        { name: 'me', description: 'The signed-in user' },
        { name: 'email', description: 'Email verification and password reset by mail' },
        { name: '2fa', description: 'Two-factor authentication: TOTP and recovery codes' },
        { name: 'passkeys', description: 'Passkeys (WebAuthn): register, sign in, list, delete' },
        { name: 'sessions', description: 'The signed-in user’s sessions' },
        { name: 'admin', description: 'User administration (role admin)' },
        { name: 'audit', description: 'The audit log' },
        { name: 'service', description: 'Health, readiness and signing keys' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
  }
}

async function swaggerUIPage(app: FastifyInstance, opts: ApiDocsOptions): Promise<void> {
  app.addHook('onSend', securityHeaders(opts.http, SWAGGER_UI_CSP))
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', theme: { title: 'Latchkey API' } })
}

/**
 * GET /openapi.json, Swagger UI at /docs and ReDoc at /redoc, each in its own context so the
 * relaxed page policies stay on those pages. Register it after `latchkeyPlugin`, which attaches
 * @fastify/swagger before its routes; registered alone it documents only later routes.
 */
async function apiDocs(app: FastifyInstance, opts: ApiDocsOptions): Promise<void> {
  if (!app.hasDecorator('swagger')) await app.register(fastifySwagger, openAPIOptions(opts.http))
  app.setErrorHandler(handleError)
  app.addHook('onSend', securityHeaders(opts.http))
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  // Not `opts`: it may hold the caller's `prefix`, which the children would apply a second time.
  await app.register(swaggerUIPage, { http: opts.http })
  await app.register(registerRedoc, { http: opts.http })
}

export const apiDocsPlugin: FastifyPluginAsync<ApiDocsOptions> = apiDocs
