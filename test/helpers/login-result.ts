import type { IssuedTokens, LoginResult } from '../../src/core/auth-api.ts'

/** The tokens of a login that needed no second factor; throws on `mfa_required`. */
export function tokensOf(result: LoginResult): IssuedTokens {
  if (result.kind !== 'tokens') throw new Error(`expected a session, got ${result.kind}`)
  return result.tokens
}
