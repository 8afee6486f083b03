// GitHub and Facebook through local stand-ins that speak their documented shapes.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { cookieHeaders, json, makeApp, PUBLIC_URL, type TestApp } from '../helpers/app.ts'
import { authorizeAtIdP, OAuthAgent } from './oauth-agent.ts'
import { startStandIn, type StandIn } from './oauth2-stand-ins.ts'
import { isCallback, sessionCookieOf } from './oidc-harness.ts'

describe('GitHub and Facebook sign-in (local stand-ins)', () => {
  let github: StandIn
  let facebook: StandIn
  let t: TestApp
  before(async () => {
    github = await startStandIn('github')
    facebook = await startStandIn('facebook')
    t = await makeApp({
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_AUTHORIZE_URL: `${github.url}/login/oauth/authorize`,
      GITHUB_TOKEN_URL: `${github.url}/login/oauth/access_token`,
      GITHUB_API_URL: github.url,
      FACEBOOK_CLIENT_ID: facebook.clientId,
      FACEBOOK_CLIENT_SECRET: facebook.clientSecret,
      FACEBOOK_AUTHORIZE_URL: `${facebook.url}/v23.0/dialog/oauth`,
      FACEBOOK_TOKEN_URL: `${facebook.url}/v23.0/oauth/access_token`,
      FACEBOOK_GRAPH_URL: `${facebook.url}/v23.0`,
    })
  })
  after(async () => {
    await t?.close()
    await github?.close()
    await facebook?.close()
  })

  async function signIn(provider: string): Promise<{ agent: OAuthAgent; callback: string }> {
    const agent = new OAuthAgent(t.app, PUBLIC_URL)
    const callback = await authorizeAtIdP(
      agent,
      `${PUBLIC_URL}/auth/oauth/${provider}/start?next=/secure`,
      { login: 'n/a' },
      isCallback,
    )
    return { agent, callback }
  }

  async function me(agent: OAuthAgent): Promise<Record<string, unknown>> {
    return json(
      await t.app.inject({ url: '/auth/me', headers: cookieHeaders(sessionCookieOf(agent) ?? '') }),
    )
  }

  it('GitHub: a primary, verified address from /user/emails makes a verified account', async () => {
    github.current = {
      id: 583231,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      emails: [
        { email: 'octo-old@example.com', primary: false, verified: true },
        { email: 'octocat@example.com', primary: true, verified: true },
      ],
    }
    const { agent, callback } = await signIn('github')
    const response = await agent.request(callback)
    assert.equal(response.status, 302)
    assert.equal(response.location, '/secure')
    const user = await me(agent)
    assert.equal(user['email'], 'octocat@example.com')
    assert.equal(user['email_verified'], true)
    assert.equal(user['name'], 'The Octocat')
  })

  it('GitHub: a primary address that is not verified does not count as verified', async () => {
    github.current = {
      id: 42,
      login: 'newbie',
      name: null,
      email: null,
      emails: [{ email: 'newbie@example.com', primary: true, verified: false }],
    }
    const { agent, callback } = await signIn('github')
    await agent.request(callback)
    const user = await me(agent)
    assert.equal(user['email'], 'newbie@example.com')
    assert.equal(user['email_verified'], false)
  })

  it('GitHub: no email shared → a clear failure, no account', async () => {
    github.current = { id: 43, login: 'private', name: null, email: null, emails: [] }
    const before = (await t.auth.listAllUsers({ limit: 100 })).items.length
    const { agent, callback } = await signIn('github')
    const page = await agent.request(callback)
    assert.equal(page.status, 400)
    assert.match(page.body, /did not share an email address/)
    assert.equal((await t.auth.listAllUsers({ limit: 100 })).items.length, before)
  })

  it('GitHub: a refused code (its 200-with-error answer) is a clear "start again"', async () => {
    github.current = { id: 44, login: 'slow', name: null, email: 'slow@example.com', emails: [] }
    const { agent, callback } = await signIn('github')
    // A code GitHub does not know (expired, or spent): GitHub answers 200 bad_verification_code.
    const url = new URL(callback)
    url.searchParams.set('code', 'expired-or-spent-code')
    const page = await agent.request(url.href, { accept: 'application/json' })
    assert.equal(page.status, 400)
    assert.equal((JSON.parse(page.body) as { code: string }).code, 'oauth_failed')
    assert.match(page.body, /took too long or was already used/)
  })

  it('GitHub: declined authorization → a clear page', async () => {
    github.current = 'deny'
    const { agent, callback } = await signIn('github')
    const page = await agent.request(callback)
    assert.equal(page.status, 400)
    assert.match(page.body, /You cancelled signing in with GitHub/)
  })

  it('Facebook: Graph /me with appsecret_proof; its email is not taken as verified', async () => {
    facebook.current = {
      id: '10158123456789012',
      login: '',
      name: 'Mark Example',
      email: 'mark@example.com',
    }
    const { agent, callback } = await signIn('facebook')
    const response = await agent.request(callback)
    assert.equal(response.status, 302)
    const user = await me(agent)
    assert.equal(user['email'], 'mark@example.com')
    assert.equal(user['email_verified'], false)
    const identities = (
      await t.app.inject({
        url: '/auth/identities',
        headers: cookieHeaders(sessionCookieOf(agent) ?? ''),
      })
    ).json<{ provider: string }[]>()
    assert.deepEqual(
      identities.map((i) => i.provider),
      ['facebook'],
    )
  })

  it('Facebook and GitHub take no ID tokens (404)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/oauth/github/token',
      payload: { id_token: 'a.b.c' },
    })
    assert.equal(response.statusCode, 404)
  })
})
