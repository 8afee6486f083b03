export type TokenErrorCode =
  | 'not_authenticated'
  | 'invalid_token'
  | 'token_expired'
  | 'token_revoked'
  | 'verification_unavailable'

/**
 * A refusal by `latchkey/verify`; `status` is the HTTP status to answer with: 401, or 503 when
 * the JWKS or the introspection endpoint could not be reached (our outage, not a bad token).
 */
export class TokenVerificationError extends Error {
  readonly code: TokenErrorCode
  readonly status: 401 | 503
  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TokenVerificationError'
    this.code = code
    this.status = code === 'verification_unavailable' ? 503 : 401
  }
}
