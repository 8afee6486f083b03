// `latchkey/verify`: for resource servers that accept Latchkey's access tokens without a
// database. Depends on jose only, so it fits a small API, an edge function or a worker.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import { TokenVerificationError } from './errors.js'
import { introspectToken, type IntrospectionOptions } from './introspection.js'
import { readBearerToken } from './request-credential.js'

export { TokenVerificationError, type TokenErrorCode } from './errors.js'
export type { IntrospectionOptions } from './introspection.js'
export { readBearerToken, readRequestCredential } from './request-credential.js'

/** The claims every Latchkey access token carries (api.md). */
export interface AccessTokenClaims {
  readonly sub: string
  readonly sid: string
  readonly jti: string
  readonly iat: number
  readonly exp: number
  readonly iss: string
}

export interface JWKSVerifierOptions {
  /** Latchkey's PUBLIC_URL: the `iss` of its tokens. */
  readonly issuer: string
  /** The expected `aud`; Latchkey uses its PUBLIC_URL (the default). */
  readonly audience?: string
  /** Default `${issuer}/.well-known/jwks.json`. */
  readonly jwksUrl?: string
  /** Opt-in revocation check (RFC 7662) on every request; see IntrospectionOptions. */
  readonly introspection?: IntrospectionOptions
  /** Seconds of clock skew tolerated on exp/iat/nbf (default 5). */
  readonly clockToleranceSeconds?: number
}

export type VerifiedRequest =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly error: TokenVerificationError }

export interface JWKSVerifier {
  /** Verifies signature (EdDSA only), `typ: at+jwt`, iss, aud, exp and, if enabled, revocation. */
  readonly verifyToken: (token: string) => Promise<AccessTokenClaims>
  /** The bearer token of a Fetch API Request, verified as by `verifyToken`. */
  readonly verifyRequest: (request: Request) => Promise<VerifiedRequest>
}

function claimsOf(payload: JWTPayload): AccessTokenClaims {
  const { sub, jti, iat, exp, iss } = payload
  const sid = payload['sid']
  if (
    typeof sub !== 'string' ||
    typeof sid !== 'string' ||
    typeof jti !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    typeof iss !== 'string'
  ) {
    throw new TokenVerificationError('invalid_token', 'the token lacks a Latchkey claim')
  }
  return { sub, sid, jti, iat, exp, iss }
}

/**
 * Verifies Latchkey access tokens offline against its JWKS. The key set is fetched on first use,
 * cached, and refetched when a token names an unknown `kid` (after `latchkey keys rotate`).
 * Without `introspection`, a revoked session's token stays valid here until it expires
 * (ACCESS_TOKEN_TTL, 15 minutes by default); with it, every check asks Latchkey.
 *
 * @example
 * ```ts
 * const verifier = createJWKSVerifier({ issuer: 'https://auth.example.com' })
 * const claims = await verifier.verifyToken(token) // throws TokenVerificationError
 * ```
 */
export function createJWKSVerifier(options: JWKSVerifierOptions): JWKSVerifier {
  const issuer = options.issuer.replace(/\/+$/, '')
  const audience = options.audience ?? issuer
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/.well-known/jwks.json`))
  const introspection = options.introspection

  async function verifyToken(token: string): Promise<AccessTokenClaims> {
    let payload: JWTPayload
    try {
      // RFC 8725: one pinned algorithm; RFC 9068: access tokens are typed at+jwt, so an ID
      // token or another JWT signed by the same keys is not accepted as one.
      const verified = await jwtVerify(token, jwks, {
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
        issuer,
        audience,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      })
      payload = verified.payload
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new TokenVerificationError('token_expired', 'the access token has expired', {
          cause: error,
        })
      }
      if (error instanceof joseErrors.JWKSTimeout || error instanceof TypeError) {
        // The JWKS could not be fetched: our outage, not the caller's bad token.
        throw new TokenVerificationError('verification_unavailable', 'could not fetch the JWKS', {
          cause: error,
        })
      }
      throw new TokenVerificationError('invalid_token', 'the access token is not valid', {
        cause: error,
      })
    }
    const claims = claimsOf(payload)
    if (introspection !== undefined) {
      const active = await introspectToken(`${issuer}/oauth/introspect`, introspection, token)
      if (!active) throw new TokenVerificationError('token_revoked', 'the session has ended')
    }
    return claims
  }

  return {
    verifyToken,
    async verifyRequest(request) {
      const token = readBearerToken(request.headers.get('authorization') ?? undefined)
      if (token === null) {
        const error = new TokenVerificationError('not_authenticated', 'no bearer token')
        return { ok: false, error }
      }
      try {
        return { ok: true, claims: await verifyToken(token) }
      } catch (error) {
        if (error instanceof TokenVerificationError) return { ok: false, error }
        throw error
      }
    },
  }
}
