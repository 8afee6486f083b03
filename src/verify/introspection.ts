// The client half of RFC 7662: asks Latchkey whether a token's session is still alive.
import { TokenVerificationError } from './errors.js'

export interface IntrospectionOptions {
  /** A client registered in Latchkey's INTROSPECTION_CLIENTS (`id:secret`). */
  readonly clientId: string
  readonly clientSecret: string
  /** Default `${issuer}/oauth/introspect`. */
  readonly url?: string
  /** Milliseconds before the call is abandoned (and the token refused): default 3000. */
  readonly timeoutMs?: number
  /** For tests and custom agents; default the global fetch. */
  readonly fetch?: typeof fetch
}

function basicAuthorization(id: string, secret: string): string {
  // RFC 6749 §2.3.1: each part is form-urlencoded before base64.
  const encode = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+')
  // btoa, not Buffer: the encoded parts are ASCII, and edge runtimes have no Buffer.
  return `Basic ${btoa(`${encode(id)}:${encode(secret)}`)}`
}

/**
 * True when Latchkey says the token is active. A failure to ask is an error, never "active":
 * a resource server that opted into revocation checks must not fail open.
 */
export async function introspectToken(
  defaultUrl: string,
  options: IntrospectionOptions,
  token: string,
): Promise<boolean> {
  const doFetch = options.fetch ?? fetch
  let response: Response
  try {
    response = await doFetch(options.url ?? defaultUrl, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(options.clientId, options.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    })
  } catch (cause) {
    throw new TokenVerificationError(
      'verification_unavailable',
      'Latchkey did not answer the introspection request',
      { cause },
    )
  }
  if (response.status !== 200) {
    throw new TokenVerificationError(
      'verification_unavailable',
      `introspection answered ${response.status}`,
    )
  }
  const body: unknown = await response.json()
  return typeof body === 'object' && body !== null && 'active' in body && body.active === true
}
