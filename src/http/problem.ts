// AuthError → application/problem+json (RFC 9457), and the one table from code to HTTP status.
// Fastify's own refusals (bad JSON, content type, body size, routing) are turned into the same
// shape here, so no input can produce anything but a documented 4xx (api.md: "No input, however
// malformed, produces a 5xx").
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AuthError, isAuthError, type AuthErrorCode, type FieldError } from '../core/errors.js'

export const statusByCode = {
  invalid_request: 400,
  // api.md: "400 malformed body (bad JSON, wrong content type for the route)", not 415.
  unsupported_media_type: 400,
  payload_too_large: 413,
  validation_failed: 422,
  invalid_credentials: 401,
  account_disabled: 403,
  email_not_verified: 403,
  not_authenticated: 401,
  session_revoked: 401,
  token_expired: 401,
  invalid_token: 400,
  token_used: 400,
  invalid_refresh_token: 401,
  invalid_mfa_code: 401,
  invalid_mfa_token: 401,
  invalid_passkey: 401,
  passkey_rejected: 400,
  reauth_required: 403,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  username_taken: 409,
  mfa_already_enabled: 409,
  mfa_not_enabled: 409,
  mfa_setup_required: 409,
  oauth_state_mismatch: 400,
  oauth_failed: 400,
  oauth_account_exists: 409,
  oauth_identity_taken: 409,
  last_sign_in_method: 409,
  invalid_id_token: 401,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
} as const satisfies Record<AuthErrorCode, number>

const titleByCode = {
  invalid_request: 'Malformed request',
  unsupported_media_type: 'Unsupported content type',
  payload_too_large: 'Request body too large',
  validation_failed: 'Validation failed',
  invalid_credentials: 'Invalid credentials',
  account_disabled: 'Account disabled',
  email_not_verified: 'Email not verified',
  not_authenticated: 'Not authenticated',
  session_revoked: 'Session ended',
  token_expired: 'Token expired',
  invalid_token: 'Invalid token',
  token_used: 'Token already used',
  invalid_refresh_token: 'Invalid refresh token',
  invalid_mfa_code: 'Invalid two-factor code',
  invalid_mfa_token: 'Sign-in expired',
  invalid_passkey: 'Passkey not accepted',
  passkey_rejected: 'Passkey registration failed',
  reauth_required: 'Recent sign-in required',
  csrf_failed: 'Cross-site request refused',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  email_taken: 'Email taken',
  username_taken: 'Username taken',
  mfa_already_enabled: 'Two-factor already on',
  mfa_not_enabled: 'Two-factor not on',
  mfa_setup_required: 'Two-factor set-up required',
  oauth_state_mismatch: 'Sign-in state mismatch',
  oauth_failed: 'Sign-in with the provider failed',
  oauth_account_exists: 'Account already exists',
  oauth_identity_taken: 'Identity linked elsewhere',
  last_sign_in_method: 'Last way to sign in',
  invalid_id_token: 'Invalid ID token',
  rate_limited: 'Too many requests',
  service_unavailable: 'Service unavailable',
  internal_error: 'Internal error',
} as const satisfies Record<AuthErrorCode, string>

/** Default waits when core did not say; 429 and 503 always carry Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = { rate_limited: 60, service_unavailable: 5 } as const

const detailByCode: Partial<Record<AuthErrorCode, string>> = {
  invalid_request: 'The request is malformed.',
  not_found: 'There is nothing here.',
  internal_error: 'Something went wrong on our side; it has been logged.',
}

export interface ProblemJSON {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: AuthErrorCode
  readonly errors?: readonly FieldError[]
}

// A path names the client's own keys; an odd key (markup, control characters) is not repeated
// back, the error points at its parent object instead.
const PLAIN_SEGMENT = /^[A-Za-z0-9_.-]{1,64}$/

export function safePath(path: string): string {
  const segments = path.split('/').slice(1)
  const plain = segments.findIndex((segment) => !PLAIN_SEGMENT.test(segment))
  return plain === -1
    ? path
    : segments
        .slice(0, plain)
        .map((segment) => `/${segment}`)
        .join('')
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route's exceptions to statusByCode, for a code the contract itself gives two statuses:
     * `token_expired` is 401 for an access token (/auth/me) but 400 for an expired link token on
     * POST /auth/email/verify and /auth/password/reset (api.md). Set in the route's `config`.
     */
    readonly problemStatus?: Partial<Record<AuthErrorCode, number>>
  }
}

export function problemOf(
  error: AuthError,
  status: number = statusByCode[error.code],
): ProblemJSON {
  const problem: ProblemJSON = {
    type: `urn:latchkey:error:${error.code}`,
    title: titleByCode[error.code],
    status,
    detail: error.detail ?? detailByCode[error.code] ?? titleByCode[error.code],
    code: error.code,
  }
  if (error.fieldErrors === undefined) return problem
  const errors = error.fieldErrors.map((e) => ({ path: safePath(e.path), message: e.message }))
  // The detail is rebuilt from the safe paths, since core's repeats the raw ones.
  const detail = errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ')
  return { ...problem, detail, errors }
}

export function sendProblem(reply: FastifyReply, error: AuthError): FastifyReply {
  // Optional chaining: framework errors are answered before any route was matched.
  const override = reply.request.routeOptions?.config?.problemStatus?.[error.code]
  const problem = problemOf(error, override)
  if (error.code === 'rate_limited' || error.code === 'service_unavailable') {
    const seconds = error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS[error.code]
    reply.header('retry-after', String(Math.max(1, Math.ceil(seconds))))
  }
  // A string payload skips the route's response serializer: the problem is already exact.
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem))
}

interface AjvLikeError {
  readonly instancePath?: string
  readonly message?: string
  readonly params?: { readonly missingProperty?: string; readonly additionalProperty?: string }
}

function fieldErrorsOf(validation: readonly AjvLikeError[]): FieldError[] {
  return validation.map((issue) => {
    const base = issue.instancePath ?? ''
    const property = issue.params?.missingProperty ?? issue.params?.additionalProperty
    return {
      path: property === undefined ? base : `${base}/${property}`,
      message: issue.message ?? 'Invalid value.',
    }
  })
}

/** Fastify's errors by code; anything unlisted falls back to its status class below. */
const fastifyCodes: Readonly<Record<string, readonly [AuthErrorCode, string]>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_INVALID_TYPE: ['unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'The request body is too large.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_request', 'The body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_request', 'The body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    'invalid_request',
    'Content-Length does not match the body.',
  ],
  FST_ERR_BAD_URL: ['invalid_request', 'The URL is malformed.'],
  FST_ERR_MAX_PARAM_LENGTH: ['invalid_request', 'A path parameter is too long.'],
}

/** Any thrown value → the AuthError to answer with; null means "unexpected: a 500". */
export function toAuthError(error: unknown): AuthError | null {
  if (isAuthError(error)) return error
  if (typeof error !== 'object' || error === null) return null
  const fastifyError = error as Partial<FastifyError> // narrowed by the checks below
  if (Array.isArray(fastifyError.validation)) {
    const fieldErrors = fieldErrorsOf(fastifyError.validation)
    return new AuthError('validation_failed', { detail: 'A field is not valid.', fieldErrors })
  }
  const mapped = typeof fastifyError.code === 'string' ? fastifyCodes[fastifyError.code] : undefined
  if (mapped !== undefined) return new AuthError(mapped[0], { detail: mapped[1] })
  if (error instanceof SyntaxError)
    return new AuthError('invalid_request', { detail: 'The body is not valid JSON.' })
  const status = fastifyError.statusCode
  // Other framework 4xx (a bad header, say) are the client's fault, never echoed back.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return status === 404 ? new AuthError('not_found') : new AuthError('invalid_request')
  }
  return null
}

export function handleError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const mapped = toAuthError(error)
  if (mapped !== null) return sendProblem(reply, mapped)
  // Logged with the request id by the request logger; the body says nothing about the cause.
  request.log.error({ err: error }, 'unhandled error')
  return sendProblem(reply, new AuthError('internal_error'))
}

export function handleNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, new AuthError('not_found'))
}
