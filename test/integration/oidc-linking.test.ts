// The account-linking policy (docs/decisions/007-social-login-linking.md) against a real
// provider: no silent link by email, linking only from a signed-in session, unlinking never
// the last way in, 2FA never skipped, and native apps' ID tokens checked in full.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as OTPAuth from 'otpauth'
import { OAUTH_COOKIE } from '../../src/http/oauth-cookie.ts'
import {
  bearer,
  cookieHeaders,
  json,
  login,
  newAccount,
  PUBLIC_URL,
  register,
} from '../helpers/app.ts'
import { authorizeAtIdP, type OAuthAgent } from './oauth-agent.ts'
import {
  CLIENT_ID,
  isCallback,
  OTHER_CLIENT_ID,
  problemCode,
  sessionCookieOf,
  startOIDCHarness,
  type OIDCHarness,
} from './oidc-harness.ts'

const req = { ip: '127.0.0.1', userAgent: 'test' }

/** Starts a link with the JSON API from a signed-in browser; the agent then holds the transaction. */
async function startLink(
  h: OIDCHarness,
  agent: OAuthAgent,
  session: string,
  provider = 'google',
): Promise<string> {
  agent.setCookie(PUBLIC_URL, '__Host-latchkey_session', session)
  const response = await h.t.app.inject({
    method: 'POST',
    url: `/auth/oauth/${provider}/link`,
    headers: cookieHeaders(session),
  })
  assert.equal(response.statusCode, 200, response.body)
  const line =
    [response.headers['set-cookie']].flat().find((l) => l?.startsWith(`${OAUTH_COOKIE}=`)) ?? ''
  agent.setCookie(
    PUBLIC_URL,
    OAUTH_COOKIE,
    line.split(';', 1)[0]?.slice(OAUTH_COOKIE.length + 1) ?? '',
  )
  return String(json(response)['authorization_url'])
}

function finishAtIdP(agent: OAuthAgent, url: string, login: string): Promise<string> {
  return authorizeAtIdP(agent, url, { login }, isCallback)
}

async function logsOf(
  h: OIDCHarness,
  token: string,
  userId: string,
  type: string,
): Promise<unknown[]> {
  const response = await h.t.app.inject({
    url: `/users/${userId}/logs?type=${type}`,
    headers: bearer(token),
  })
  return (json(response)['items'] as unknown[]) ?? []
}

describe('account linking against a real provider', () => {
  let h: OIDCHarness
  before(async () => {
    h = await startOIDCHarness()
  })
  after(async () => h?.close())

  it('an email that belongs to an account is never linked silently, even when verified', async () => {
    const account = newAccount({ email: 'ada@idp.test' })
    assert.equal((await register(h.t.app, account)).statusCode, 201)
    const before = (await h.t.auth.listAllUsers({ limit: 100 })).items.length
    const agent = h.agent()
    const callback = await h.authorize(agent, 'google', { login: 'ada' }) // ada@idp.test, verified
    const page = await agent.request(callback)
    assert.equal(page.status, 409)
    assert.match(page.body, /already exists/)
    assert.match(page.body, /sign in with your password/)
    assert.equal(sessionCookieOf(agent), undefined)
    assert.equal((await h.t.auth.listAllUsers({ limit: 100 })).items.length, before)
    const owner = await login(h.t.app, account.email, account.password)
    const identities = await h.t.app.inject({
      url: '/auth/identities',
      headers: bearer(owner.accessToken),
    })
    assert.deepEqual(identities.json(), [])
  })

  it('the owner links it after signing in, then signs in with it; link and unlink are audited', async () => {
    const account = newAccount({ email: 'lin@idp.test' })
    await register(h.t.app, account)
    const owner = await login(h.t.app, account.email, account.password)
    const agent = h.agent()
    const url = await startLink(h, agent, owner.sessionToken)
    const callback = await agent.request(await finishAtIdP(agent, url, 'lin'))
    assert.equal(callback.status, 302)
    assert.equal(callback.location, '/settings/security')
    const listed = (
      await h.t.app.inject({ url: '/auth/identities', headers: bearer(owner.accessToken) })
    ).json<{ id: string; provider: string; email: string }[]>()
    assert.equal(listed.length, 1)
    assert.equal(listed[0]?.provider, 'google')
    assert.equal(listed[0]?.email, 'lin@idp.test')
    const other = h.agent()
    await h.signIn(other, 'google', { login: 'lin' })
    const me = await h.t.app.inject({
      url: '/auth/me',
      headers: cookieHeaders(sessionCookieOf(other) ?? ''),
    })
    assert.equal(json(me)['id'], owner.id, 'the linked identity signs in to the owner’s account')
    assert.equal((await logsOf(h, owner.accessToken, owner.id, 'oauth.linked')).length, 1)
    const gone = await h.t.app.inject({
      method: 'DELETE',
      url: `/auth/identities/${listed[0]?.id}`,
      headers: bearer(owner.accessToken),
    })
    assert.equal(gone.statusCode, 204)
    assert.equal((await logsOf(h, owner.accessToken, owner.id, 'oauth.unlinked')).length, 1)
    const again = await h.t.app.inject({
      method: 'DELETE',
      url: `/auth/identities/${listed[0]?.id}`,
      headers: bearer(owner.accessToken),
    })
    assert.equal(again.statusCode, 404)
  })

  it('an identity linked to one account cannot be linked to another (409)', async () => {
    await h.signIn(h.agent(), 'google', { login: 'taken' })
    const other = await (async () => {
      const account = newAccount()
      await register(h.t.app, account)
      return login(h.t.app, account.email, account.password)
    })()
    const agent = h.agent()
    const url = await startLink(h, agent, other.sessionToken)
    const response = await agent.request(await finishAtIdP(agent, url, 'taken'), {
      accept: 'application/json',
    })
    assert.equal(response.status, 409)
    assert.equal(problemCode(response), 'oauth_identity_taken')
  })

  it('a link finishing under another session is refused', async () => {
    const account = newAccount()
    await register(h.t.app, account)
    const first = await login(h.t.app, account.email, account.password)
    const agent = h.agent()
    const url = await startLink(h, agent, first.sessionToken)
    const second = await login(h.t.app, account.email, account.password)
    agent.setCookie(PUBLIC_URL, '__Host-latchkey_session', second.sessionToken)
    const response = await agent.request(await finishAtIdP(agent, url, 'switcher'), {
      accept: 'application/json',
    })
    assert.equal(response.status, 400)
    assert.equal(problemCode(response), 'oauth_failed')
  })

  it('the last way to sign in cannot be unlinked (409 last_sign_in_method)', async () => {
    const agent = h.agent()
    await h.signIn(agent, 'google', { login: 'only-social' })
    const session = sessionCookieOf(agent) ?? ''
    const [identity] = (
      await h.t.app.inject({ url: '/auth/identities', headers: cookieHeaders(session) })
    ).json<{ id: string }[]>()
    const response = await h.t.app.inject({
      method: 'DELETE',
      url: `/auth/identities/${identity?.id}`,
      headers: cookieHeaders(session),
    })
    assert.equal(response.statusCode, 409)
    assert.equal(json(response)['code'], 'last_sign_in_method')
    // And the account has no password: a password login is refused like any other.
    const me = json(await h.t.app.inject({ url: '/auth/me', headers: cookieHeaders(session) }))
    const pw = await h.t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: me['email'], password: 'anything-at-all-here' },
    })
    assert.equal(pw.statusCode, 401)
  })

  it('social sign-in does not skip two-factor authentication (SEC-MFA-07)', async () => {
    const agent = h.agent()
    await h.signIn(agent, 'google', { login: 'twofactor' })
    const principal = await h.t.auth.authenticate({
      kind: 'cookie',
      token: sessionCookieOf(agent) ?? '',
    })
    const setup = await h.t.auth.setupTotp(principal, req)
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret) }).generate()
    await h.t.auth.enableTotp(principal, code, req)
    const again = h.agent()
    const callback = await h.authorize(again, 'google', { login: 'twofactor' })
    const api = await again.request(callback, { accept: 'application/json' })
    assert.equal(api.status, 200)
    assert.equal((JSON.parse(api.body) as { mfa_required?: boolean }).mfa_required, true)
    assert.equal(sessionCookieOf(again), undefined, 'no session before the second factor')
    const browser = h.agent()
    const page = await browser.request(
      await h.authorize(browser, 'google', { login: 'twofactor' }, '/secure'),
    )
    assert.equal(page.status, 200)
    assert.match(page.body, /One more step/)
    assert.equal(sessionCookieOf(browser), undefined)
  })
})

describe('native apps: POST /auth/oauth/{provider}/token', () => {
  let h: OIDCHarness
  before(async () => {
    h = await startOIDCHarness()
  })
  after(async () => h?.close())

  const now = (): number => Math.floor(Date.now() / 1000)
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: h.idp.issuer,
    aud: CLIENT_ID,
    sub: 'native-1',
    email: 'native-1@idp.test',
    email_verified: true,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  })
  const post = (provider: string, body: Record<string, unknown>) =>
    h.t.app.inject({ method: 'POST', url: `/auth/oauth/${provider}/token`, payload: body })

  it('a provider-signed ID token for our client id → Latchkey tokens', async () => {
    const response = await post('google', {
      id_token: await h.idp.sign(claims({ nonce: 'n-1' })),
      nonce: 'n-1',
    })
    assert.equal(response.statusCode, 200, response.body)
    const body = json(response)
    assert.equal((body['user'] as { email: string }).email, 'native-1@idp.test')
    const me = await h.t.app.inject({
      url: '/auth/me',
      headers: bearer(String(body['access_token'])),
    })
    assert.equal(me.statusCode, 200)
  })

  it('refuses wrong aud, wrong iss, expired, future iat, wrong nonce, foreign key, alg none', async () => {
    const { generateKeyPair, SignJWT } = await import('jose')
    const { privateKey } = await generateKeyPair('RS256')
    const foreign = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'test-idp-key' })
      .sign(privateKey)
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`
    const cases: [string, Record<string, unknown>][] = [
      ['wrong aud', { id_token: await h.idp.sign(claims({ aud: OTHER_CLIENT_ID })) }],
      ['wrong iss', { id_token: await h.idp.sign(claims({ iss: 'https://accounts.google.com' })) }],
      ['expired', { id_token: await h.idp.sign(claims({ iat: now() - 7200, exp: now() - 3600 })) }],
      [
        'iat in the future',
        { id_token: await h.idp.sign(claims({ iat: now() + 3600, exp: now() + 7200 })) },
      ],
      ['nonce mismatch', { id_token: await h.idp.sign(claims({ nonce: 'a' })), nonce: 'b' }],
      ['foreign key', { id_token: foreign }],
      ['alg none', { id_token: unsigned }],
    ]
    for (const [name, body] of cases) {
      const response = await post('google', body)
      assert.equal(response.statusCode, 401, `${name}: ${response.body}`)
      assert.equal(json(response)['code'], 'invalid_id_token', name)
    }
  })

  it('applies the same policy: an existing email is not linked (409)', async () => {
    await register(h.t.app, newAccount({ email: 'native-2@idp.test' }))
    const token = await h.idp.sign(claims({ sub: 'native-2', email: 'native-2@idp.test' }))
    const response = await post('acme', { id_token: token })
    assert.equal(response.statusCode, 409)
    assert.equal(json(response)['code'], 'oauth_account_exists')
  })

  it('404 for an unknown provider', async () => {
    assert.equal((await post('nowhere', { id_token: 'x.y.z' })).statusCode, 404)
  })
})
