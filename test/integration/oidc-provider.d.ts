// The few parts of node-oidc-provider (which ships no types) that the test fixture uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface AccountClaims {
    readonly sub: string
    readonly [claim: string]: unknown
  }

  interface Account {
    readonly accountId: string
    claims(): AccountClaims | Promise<AccountClaims>
  }

  interface Configuration {
    readonly clients?: readonly Record<string, unknown>[]
    readonly pkce?: { readonly required?: () => boolean }
    readonly features?: Record<string, { readonly enabled: boolean }>
    readonly claims?: Record<string, readonly string[]>
    readonly jwks?: { readonly keys: readonly object[] }
    readonly cookies?: { readonly keys: readonly string[] }
    readonly ttl?: Record<string, number>
    readonly findAccount?: (
      ctx: unknown,
      id: string,
    ) => Account | undefined | Promise<Account | undefined>
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration)
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    on(event: 'server_error', listener: (ctx: unknown, error: unknown) => void): this
  }
}
