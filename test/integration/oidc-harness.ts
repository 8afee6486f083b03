// One Latchkey (buildServer over SQLite) wired to one real OpenID Provider, as both "google"
// (GOOGLE_ISSUER pointed at it) and a generic OIDC_ACME provider, plus a provider that is down.
import { createServer } from 'node:net'
import type { Clock } from '../../src/core/ports.ts'
import { makeApp, PUBLIC_URL, SESSION_COOKIE, type TestApp } from '../helpers/app.ts'
import {
  OAuthAgent,
  authorizeAtIdP,
  type AgentResponse,
  type IdPInteraction,
} from './oauth-agent.ts'
import { startIdP, type TestIdP } from './oidc-provider-fixture.ts'

export const CLIENT_ID = 'latchkey-test'
export const CLIENT_SECRET = 'latchkey-test-secret-0123456789'
export const OTHER_CLIENT_ID = 'someone-elses-app'

/** A port nothing listens on: the "provider down" issuer. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 1
      probe.close(() => resolve(port))
    })
  })
}

export interface OIDCHarness {
  readonly idp: TestIdP
  readonly t: TestApp
  agent(): OAuthAgent
  /** start → the provider's real forms → the callback URL (not yet requested). */
  authorize(
    agent: OAuthAgent,
    provider: string,
    interaction: IdPInteraction,
    next?: string,
  ): Promise<string>
  /** The whole flow; answers the callback's response. */
  signIn(
    agent: OAuthAgent,
    provider: string,
    interaction: IdPInteraction,
    next?: string,
  ): Promise<AgentResponse>
  close(): Promise<void>
}

export function isCallback(url: string): boolean {
  return url.startsWith(`${PUBLIC_URL}/auth/oauth/`) && new URL(url).pathname.endsWith('/callback')
}

export async function startOIDCHarness(
  options: { readonly clock?: Clock; readonly codeTtlSeconds?: number } = {},
): Promise<OIDCHarness> {
  const redirects = ['google', 'acme'].map((p) => `${PUBLIC_URL}/auth/oauth/${p}/callback`)
  const idp = await startIdP(
    [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectURIs: redirects },
      {
        clientId: OTHER_CLIENT_ID,
        clientSecret: 'other-secret-0123456789',
        redirectURIs: ['http://127.0.0.1/cb'],
      },
    ],
    options.codeTtlSeconds,
  )
  const down = `http://127.0.0.1:${await closedPort()}`
  const t = await makeApp(
    {
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_ISSUER: idp.issuer,
      OIDC_ACME_ISSUER: idp.issuer,
      OIDC_ACME_CLIENT_ID: CLIENT_ID,
      OIDC_ACME_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_ACME_LABEL: 'Acme SSO',
      OIDC_DOWN_ISSUER: down,
      OIDC_DOWN_CLIENT_ID: CLIENT_ID,
      OIDC_DOWN_CLIENT_SECRET: CLIENT_SECRET,
      SESSION_POLICY: 'multiple',
    },
    options.clock === undefined ? {} : { clock: options.clock },
  )
  const authorize: OIDCHarness['authorize'] = (agent, provider, interaction, next = '/secure') =>
    authorizeAtIdP(
      agent,
      `${PUBLIC_URL}/auth/oauth/${provider}/start?next=${encodeURIComponent(next)}`,
      interaction,
      isCallback,
    )
  return {
    idp,
    t,
    agent: () => new OAuthAgent(t.app, PUBLIC_URL),
    authorize,
    async signIn(agent, provider, interaction, next) {
      return agent.request(await authorize(agent, provider, interaction, next))
    },
    async close() {
      await t.close()
      await idp.close()
    },
  }
}

export function sessionCookieOf(agent: OAuthAgent): string | undefined {
  return agent.cookie(PUBLIC_URL, SESSION_COOKIE)
}

export function problemCode(response: AgentResponse): unknown {
  return (JSON.parse(response.body) as { code?: unknown }).code // a problem+json body
}
