/**
 * The closed catalogue of refusals Latchkey can answer with. Every code has an HTTP status in
 * `src/http/problem.ts` and a row in `docs/errors.md`; tests keep the three in step.
 *
 * @example
 * ```ts
 * try { await auth.login(input, ctx) } catch (err) {
 *   if (err instanceof AuthError) switch (err.code) { case 'invalid_credentials': ... }
 * }
 * ```
 */
export type AuthErrorCode =
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'validation_failed'
  | 'invalid_credentials'
  | 'account_disabled'
  | 'email_not_verified'
  | 'not_authenticated'
  | 'session_revoked'
  | 'token_expired'
  | 'invalid_token'
  | 'token_used'
  | 'invalid_refresh_token'
  | 'invalid_mfa_code'
  | 'invalid_mfa_token'
  | 'invalid_passkey'
  | 'passkey_rejected'
  | 'reauth_required'
  | 'csrf_failed'
  | 'forbidden'
  | 'not_found'
  | 'email_taken'
  | 'username_taken'
  | 'mfa_already_enabled'
  | 'mfa_not_enabled'
  | 'mfa_setup_required'
  | 'oauth_state_mismatch'
  | 'oauth_failed'
  | 'oauth_account_exists'
  | 'oauth_identity_taken'
  | 'last_sign_in_method'
  | 'invalid_id_token'
  | 'rate_limited'
  | 'service_unavailable'
  | 'internal_error'

export interface FieldError {
  /** JSON Pointer into the request body, e.g. `/email` or `/profile/company`. */
  readonly path: string
  readonly message: string
}

export interface AuthErrorOptions {
  readonly detail?: string
  readonly fieldErrors?: readonly FieldError[]
  /** Seconds a client should wait; set on `rate_limited` and `service_unavailable`. */
  readonly retryAfterSeconds?: number
  readonly cause?: unknown
}

/** A refusal with a stable machine-readable code. The HTTP layer maps it to problem+json. */
export class AuthError extends Error {
  readonly code: AuthErrorCode
  readonly detail: string | undefined
  readonly fieldErrors: readonly FieldError[] | undefined
  readonly retryAfterSeconds: number | undefined

  constructor(code: AuthErrorCode, options: AuthErrorOptions = {}) {
    super(options.detail ?? code, { cause: options.cause })
    this.name = 'AuthError'
    this.code = code
    this.detail = options.detail
    this.fieldErrors = options.fieldErrors
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError
}

export function validationFailed(fieldErrors: readonly FieldError[]): AuthError {
  return new AuthError('validation_failed', {
    detail: fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; '),
    fieldErrors,
  })
}
