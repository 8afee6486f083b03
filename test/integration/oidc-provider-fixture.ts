// A real OpenID Provider (node-oidc-provider, certified) on 127.0.0.1 inside the test process:
// discovery, JWKS, PKCE required, signed ID tokens, and its own development login and consent
// forms (devInteractions), which the tests and Chromium fill in like a person would.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import Provider from 'oidc-provider'

export interface IdPAccount {
  readonly email?: string
  readonly email_verified?: boolean
  readonly name?: string
}

export interface OIDCClient {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectURIs: readonly string[]
}

export interface TestIdP {
  readonly issuer: string
  /** Accounts by login; an unknown login signs in as `<login>@idp.test`, verified. */
  readonly accounts: Map<string, IdPAccount>
  /** Signs any claims with the provider's own key (for expired or foreign-audience tokens). */
  sign(claims: Record<string, unknown>): Promise<string>
  close(): Promise<void>
}

async function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)) // listening on TCP
  })
}

export interface IdPSlot {
  /** Known before the provider exists, so a server can be configured with it first. */
  readonly issuer: string
  start(clients: readonly OIDCClient[], codeTtlSeconds?: number): Promise<TestIdP>
}

/** Listens first and builds the provider later (the browser test needs the issuer early). */
export async function reserveIdP(): Promise<IdPSlot> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null
  const server = createServer((req, res) => handler?.(req, res))
  const port = await listen(server)
  const issuer = `http://127.0.0.1:${port}`
  return {
    issuer,
    async start(clients, codeTtlSeconds) {
      const idp = await buildIdP(issuer, clients, codeTtlSeconds)
      handler = idp.handler
      return {
        ...idp.api,
        close: () =>
          new Promise((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          }),
      }
    },
  }
}

export async function startIdP(
  clients: readonly OIDCClient[],
  codeTtlSeconds?: number,
): Promise<TestIdP> {
  return (await reserveIdP()).start(clients, codeTtlSeconds)
}

async function buildIdP(
  issuer: string,
  clients: readonly OIDCClient[],
  codeTtlSeconds: number | undefined,
): Promise<{
  handler: (req: IncomingMessage, res: ServerResponse) => void
  api: Omit<TestIdP, 'close'>
}> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk: JWK = {
    ...(await exportJWK(privateKey)),
    kid: 'test-idp-key',
    alg: 'RS256',
    use: 'sig',
  }
  const accounts = new Map<string, IdPAccount>()
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [...c.redirectURIs],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    // RFC 9700: this provider refuses any authorization request without PKCE S256.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-idp-cookie-key-0123456789abcdef'] },
    ...(codeTtlSeconds === undefined ? {} : { ttl: { AuthorizationCode: codeTtlSeconds } }),
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        ...(accounts.get(id) ?? { email: `${id}@idp.test`, email_verified: true, name: id }),
      }),
    }),
  })
  provider.on('server_error', (_ctx, error) =>
    process.stderr.write(`# idp server_error: ${String(error)}\n`),
  )
  return {
    handler: provider.callback(),
    api: {
      issuer,
      accounts,
      async sign(claims) {
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'test-idp-key' })
          .sign(privateKey)
      },
    },
  }
}
