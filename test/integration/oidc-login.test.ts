// Social sign-in against a real OpenID Provider (node-oidc-provider) with real redirects and its
// real login and consent forms: the happy path, then every way the callback must refuse.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { FakeClock } from '../helpers/fake-clock.ts'
import { cookieHeaders, json, PUBLIC_URL } from '../helpers/app.ts'
import { OAUTH_COOKIE } from '../../src/http/oauth-cookie.ts'
import { problemCode, sessionCookieOf, startOIDCHarness, type OIDCHarness } from './oidc-harness.ts'

async function userCount(h: OIDCHarness): Promise<number> {
  return (await h.t.auth.listAllUsers({ limit: 100 })).items.length
}

describe('OIDC sign-in against a real provider', () => {
  let h: OIDCHarness
  before(async () => {
    h = await startOIDCHarness()
  })
  after(async () => h?.close())

  it('start: 302 to the provider with state, nonce, PKCE S256 and the exact redirect URI', async () => {
    const agent = h.agent()
    const start = await agent.request(`${PUBLIC_URL}/auth/oauth/google/start?next=/secure`, {
      accept: '*/*',
    })
    assert.equal(start.status, 302)
    const to = new URL(start.location ?? '')
    assert.equal(to.origin, h.idp.issuer)
    assert.equal(to.searchParams.get('response_type'), 'code')
    assert.equal(to.searchParams.get('code_challenge_method'), 'S256')
    assert.match(to.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.match(to.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.match(to.searchParams.get('nonce') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.equal(to.searchParams.get('redirect_uri'), `${PUBLIC_URL}/auth/oauth/google/callback`)
    const cookie = start.setCookies.find((line) => line.startsWith(`${OAUTH_COOKIE}=`)) ?? ''
    assert.match(cookie, /HttpOnly/i)
    assert.match(cookie, /Secure/i)
    assert.match(cookie, /SameSite=Lax/i)
    assert.match(cookie, /Path=\//)
    assert.doesNotMatch(cookie, /Domain=/i)
    // The transaction is sealed: neither the state nor the verifier can be read from it.
    assert.ok(!cookie.includes(to.searchParams.get('state') ?? '-'))
  })

  it('the Host header cannot change the redirect URI (it comes from PUBLIC_URL)', async () => {
    const response = await h.t.app.inject({
      url: '/auth/oauth/google/start',
      headers: { host: 'evil.example' },
    })
    assert.equal(response.statusCode, 302)
    const to = new URL(String(response.headers.location))
    assert.equal(to.searchParams.get('redirect_uri'), `${PUBLIC_URL}/auth/oauth/google/callback`)
  })

  it('an unknown provider is 404', async () => {
    const response = await h.t.app.inject({ url: '/auth/oauth/myspace/start' })
    assert.equal(response.statusCode, 404)
    assert.equal(json(response)['code'], 'not_found')
  })

  it('signs a new person in: callback → 302 to next with the session cookie → /auth/me 200', async () => {
    const agent = h.agent()
    const callback = await h.signIn(agent, 'google', { login: 'grace' }, '/secure')
    assert.equal(callback.status, 302)
    assert.equal(callback.location, '/secure')
    // IdP tokens never reach the browser: nothing but cookies and a Location.
    assert.equal(callback.body, '')
    assert.ok(!callback.setCookies.some((line) => /eyJ/.test(line)), 'no JWT in any cookie')
    const session = sessionCookieOf(agent)
    assert.ok(session !== undefined, 'session cookie set')
    const me = await h.t.app.inject({ url: '/auth/me', headers: cookieHeaders(session) })
    assert.equal(me.statusCode, 200)
    assert.equal(json(me)['email'], 'grace@idp.test')
    assert.equal(json(me)['email_verified'], true, 'the provider said verified')
    assert.equal(agent.cookie(PUBLIC_URL, OAUTH_COOKIE), undefined, 'transaction cookie spent')
  })

  it('an off-site next is never followed: the callback goes to /', async () => {
    for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const response = await h.signIn(h.agent(), 'google', { login: 'redir' }, next)
      assert.equal(response.status, 302)
      assert.equal(response.location, '/', next)
    }
  })

  it('a second sign-in with the same identity reaches the same account', async () => {
    const first = h.agent()
    await h.signIn(first, 'google', { login: 'hopper' })
    const second = h.agent()
    await h.signIn(second, 'google', { login: 'hopper' })
    const me = async (agent: typeof first) =>
      json(
        await h.t.app.inject({
          url: '/auth/me',
          headers: cookieHeaders(sessionCookieOf(agent) ?? ''),
        }),
      )['id']
    assert.equal(await me(first), await me(second))
  })

  it('an unverified email at the provider makes an unverified account', async () => {
    h.idp.accounts.set('unverified', {
      email: 'unverified@idp.test',
      email_verified: false,
      name: 'U',
    })
    const agent = h.agent()
    await h.signIn(agent, 'acme', { login: 'unverified' })
    const me = await h.t.app.inject({
      url: '/auth/me',
      headers: cookieHeaders(sessionCookieOf(agent) ?? ''),
    })
    assert.equal(json(me)['email_verified'], false)
  })

  it('a state that does not match the browser’s transaction → 400 oauth_state_mismatch', async () => {
    const agent = h.agent()
    const callback = new URL(await h.authorize(agent, 'google', { login: 'mallory' }))
    callback.searchParams.set('state', 'A'.repeat(43))
    const response = await agent.request(callback.href, { accept: 'application/json' })
    assert.equal(response.status, 400)
    assert.equal(problemCode(response), 'oauth_state_mismatch')
    assert.equal(sessionCookieOf(agent), undefined)
  })

  it('a callback in another browser (no transaction cookie) → 400 oauth_state_mismatch', async () => {
    const agent = h.agent()
    const callback = await h.authorize(agent, 'google', { login: 'mallory' })
    agent.clearCookies(PUBLIC_URL)
    const response = await agent.request(callback, { accept: 'application/json' })
    assert.equal(response.status, 400)
    assert.equal(problemCode(response), 'oauth_state_mismatch')
  })

  it('a callback on another provider’s redirect URI (mix-up) is refused', async () => {
    const agent = h.agent()
    const callback = new URL(await h.authorize(agent, 'google', { login: 'mallory' }))
    callback.pathname = '/auth/oauth/acme/callback'
    const response = await agent.request(callback.href, { accept: 'application/json' })
    assert.equal(response.status, 400)
    assert.equal(problemCode(response), 'oauth_state_mismatch')
  })

  it('a replayed callback (same URL, same cookie) is refused and makes no session', async () => {
    const agent = h.agent()
    const callback = await h.authorize(agent, 'google', { login: 'replay' })
    const transaction = agent.cookie(PUBLIC_URL, OAUTH_COOKIE) ?? ''
    const first = await agent.request(callback)
    assert.equal(first.status, 302)
    const attacker = h.agent()
    attacker.setCookie(PUBLIC_URL, OAUTH_COOKIE, transaction)
    const replay = await attacker.request(callback, { accept: 'application/json' })
    assert.equal(replay.status, 400)
    assert.equal(problemCode(replay), 'oauth_state_mismatch')
    assert.equal(sessionCookieOf(attacker), undefined)
  })

  it('denied consent → a clear 400 page, and no account is made', async () => {
    const before = await userCount(h)
    const agent = h.agent()
    const callback = await h.authorize(agent, 'google', { login: 'declines', consent: 'deny' })
    assert.equal(new URL(callback).searchParams.get('error'), 'access_denied')
    const page = await agent.request(callback)
    assert.equal(page.status, 400)
    assert.match(page.contentType, /text\/html/)
    assert.match(page.body, /You cancelled signing in with Google/)
    assert.match(page.body, /Try again/)
    // The provider's own wording (error_description) is never shown.
    assert.doesNotMatch(page.body, /aborted interaction/i)
    assert.equal(await userCount(h), before)
  })

  it('crafted error text in a callback URL is never repeated on the page', async () => {
    const agent = h.agent()
    const callback = new URL(await h.authorize(agent, 'google', { login: 'x', consent: 'deny' }))
    callback.searchParams.set('error_description', 'Call +1-555-SCAM to unlock your account')
    const page = await agent.request(callback.href)
    assert.equal(page.status, 400)
    assert.doesNotMatch(page.body, /SCAM/)
  })

  it('a provider that is down → a clear 400, no 5xx, nothing stored, the server still up', async () => {
    const agent = h.agent()
    const json400 = await agent.request(`${PUBLIC_URL}/auth/oauth/down/start`, {
      accept: 'application/json',
    })
    assert.equal(json400.status, 400)
    assert.equal(problemCode(json400), 'oauth_failed')
    assert.equal(
      agent.cookie(PUBLIC_URL, OAUTH_COOKIE),
      undefined,
      'no transaction for a failed start',
    )
    const page = await agent.request(`${PUBLIC_URL}/auth/oauth/down/start`)
    assert.equal(page.status, 400)
    assert.match(page.body, /is not answering right now/)
    const health = await h.t.app.inject({ url: '/healthz' })
    assert.equal(health.statusCode, 200)
  })

  it('lists the configured providers', async () => {
    const response = await h.t.app.inject({ url: '/auth/oauth/providers' })
    assert.deepEqual(
      response.json<{ name: string }[]>().map((p) => p.name),
      ['google', 'acme', 'down'],
    )
  })
})

describe('OIDC sign-in: time limits', () => {
  it('a transaction older than 10 minutes → 400 oauth_state_mismatch (expired)', async () => {
    const clock = new FakeClock(new Date())
    const h = await startOIDCHarness({ clock })
    try {
      const agent = h.agent()
      const callback = await h.authorize(agent, 'google', { login: 'slow' })
      clock.advance(11 * 60)
      const response = await agent.request(callback, { accept: 'application/json' })
      assert.equal(response.status, 400)
      assert.equal(problemCode(response), 'oauth_state_mismatch')
      assert.match((JSON.parse(response.body) as { detail: string }).detail, /expired/)
    } finally {
      await h.close()
    }
  })

  it('an expired authorization code → 400 oauth_failed, nothing made', async () => {
    const h = await startOIDCHarness({ codeTtlSeconds: 1 })
    try {
      const agent = h.agent()
      const callback = await h.authorize(agent, 'google', { login: 'late' })
      await new Promise((resolve) => setTimeout(resolve, 2100))
      const page = await agent.request(callback)
      assert.equal(page.status, 400)
      assert.match(page.body, /took too long or was already used/)
      assert.equal((await h.t.auth.listAllUsers({ limit: 10 })).items.length, 0)
    } finally {
      await h.close()
    }
  })
})
