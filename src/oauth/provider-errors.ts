// openid-client's and jose's failures → the port's few kinds. Core shows each kind with a fixed
// text, so nothing the provider wrote (error_description, messages) reaches a person.
import { errors as joseErrors } from 'jose'
import * as client from 'openid-client'
import { OAuthProviderError } from '../core/oauth/provider.js'

/** Node's fetch rejects with `TypeError('fetch failed')` when it cannot connect at all. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed'
}

function statusOf(cause: unknown): number | null {
  return cause instanceof Response ? cause.status : null
}

export function toProviderError(error: unknown): OAuthProviderError {
  if (error instanceof OAuthProviderError) return error
  if (isNetworkFailure(error))
    return new OAuthProviderError('unavailable', 'unreachable', { cause: error })
  if (error instanceof client.AuthorizationResponseError) {
    const kind = error.error === 'access_denied' ? 'denied' : 'provider_error'
    return new OAuthProviderError(kind, error.error, { cause: error })
  }
  if (error instanceof client.ResponseBodyError) {
    // RFC 6749 §5.2: invalid_grant is an expired, used or foreign code (or a wrong PKCE verifier).
    if (error.error === 'invalid_grant')
      return new OAuthProviderError('code_rejected', error.error, { cause: error })
    const kind = error.status >= 500 ? 'unavailable' : 'provider_error'
    return new OAuthProviderError(kind, error.error, { cause: error })
  }
  if (error instanceof client.ClientError) {
    if (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT') {
      return new OAuthProviderError('unavailable', 'timed out', { cause: error })
    }
    const status = statusOf(error.cause)
    if (status !== null && status >= 500)
      return new OAuthProviderError('unavailable', `HTTP ${status}`, { cause: error })
    return new OAuthProviderError('invalid_response', error.code ?? 'client error', {
      cause: error,
    })
  }
  if (error instanceof joseErrors.JWKSTimeout) {
    return new OAuthProviderError('unavailable', 'JWKS timed out', { cause: error })
  }
  if (error instanceof joseErrors.JOSEError) {
    return new OAuthProviderError('invalid_response', error.code, { cause: error })
  }
  if (
    error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')
  ) {
    return new OAuthProviderError('unavailable', 'timed out', { cause: error })
  }
  return new OAuthProviderError('invalid_response', 'unexpected failure', { cause: error })
}

/** Runs a protocol step and reports any failure as the port's error. */
export async function asProviderStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw toProviderError(error)
  }
}
