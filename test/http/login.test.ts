import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  cookieHeaders,
  json,
  makeApp,
  newAccount,
  register,
  sessionSetCookie,
  signUp,
  signUpAdmin,
  type TestApp,
} from '../helpers/app.ts'

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  assert.ok(segment !== undefined)
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  assert.equal(typeof value, 'object')
  return value as Record<string, unknown> // asserted an object above
}

describe('POST /auth/login', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.close()
  })

  async function loginRaw(payload: Record<string, unknown>) {
    return t.app.inject({ method: 'POST', url: '/auth/login', payload })
  }

  it('answers 200 with the tokens shape', async () => {
    const account = newAccount()
    await register(t.app, account)
    const response = await loginRaw({ email: account.email, password: account.password })
    assert.equal(response.statusCode, 200)
    const body = json(response)
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'expires_in',
      'refresh_token',
      'token_type',
      'user',
    ])
    assert.equal(body['token_type'], 'bearer')
    assert.equal(typeof body['expires_in'], 'number')
    assert.ok(
      Number(body['expires_in']) > 0 &&
        Number(body['expires_in']) <= t.auth.settings.accessTokenTtlSeconds,
    )
    assert.equal(typeof body['refresh_token'], 'string')
    assert.equal((body['user'] as Record<string, unknown>)['email'], account.email)
    assert.equal(response.headers['cache-control'], 'no-store')
  })

  it('sets the session cookie as __Host-, Path=/, Secure, HttpOnly, SameSite=Lax, no Domain', async () => {
    const user = await signUp(t.app)
    const line = sessionSetCookie(user.login)
    assert.ok(line !== undefined)
    const attributes = line
      .split(';')
      .slice(1)
      .map((part) => part.trim().toLowerCase())
    assert.ok(attributes.includes('path=/'))
    assert.ok(attributes.includes('secure'))
    assert.ok(attributes.includes('httponly'))
    assert.ok(attributes.includes('samesite=lax'))
    assert.ok(!attributes.some((attribute) => attribute.startsWith('domain')))
    const maxAge = Number(
      attributes.find((a) => a.startsWith('max-age='))?.slice('max-age='.length),
    )
    assert.ok(maxAge > 0 && maxAge <= t.auth.settings.sessionMaxAgeSeconds, `Max-Age ${maxAge}`)
    assert.ok(
      !user.login.body.includes(user.sessionToken),
      'the session token is never in the body',
    )
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: cookieHeaders(user.sessionToken),
    })
    assert.equal(me.statusCode, 200)
    assert.equal(json(me)['id'], user.id)
  })

  it('issues a JWT with sub, sid, iat, exp, iss, aud and jti, signed by a published key', async () => {
    const user = await signUp(t.app)
    const [header, payload, signature] = user.accessToken.split('.')
    assert.ok(signature !== undefined && signature.length > 0)
    const claims = decodeSegment(payload)
    assert.equal(claims['sub'], user.id)
    assert.equal(typeof claims['sid'], 'string')
    assert.equal(claims['iss'], t.auth.settings.issuer)
    assert.equal(claims['aud'], t.auth.settings.audience)
    assert.equal(typeof claims['jti'], 'string')
    const iat = Number(claims['iat'])
    const exp = Number(claims['exp'])
    assert.ok(Number.isInteger(iat) && Number.isInteger(exp) && exp > iat)
    assert.ok(exp - iat <= t.auth.settings.accessTokenTtlSeconds)
    const jwks = json(await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
    const kids = (jwks['keys'] as { kid: string }[]).map((key) => key.kid)
    assert.ok(kids.includes(String(decodeSegment(header)['kid'])))
    const sessions = await t.app.inject({
      method: 'GET',
      url: '/auth/sessions',
      headers: bearer(user.accessToken),
    })
    assert.equal(sessions.json<{ id: string }[]>()[0]?.id, claims['sid'])
  })

  it('accepts the username instead of the email', async () => {
    const account = newAccount()
    await register(t.app, account)
    const response = await loginRaw({
      username: account.username.toUpperCase(),
      password: account.password,
    })
    assert.equal(response.statusCode, 200, response.body)
  })

  it('answers the same 401 body for an unknown user and a wrong password', async () => {
    const account = newAccount()
    await register(t.app, account)
    const unknown = await loginRaw({ email: `nobody-${account.email}`, password: account.password })
    const wrong = await loginRaw({ email: account.email, password: `${account.password}!` })
    assert.equal(unknown.statusCode, 401)
    assert.equal(wrong.statusCode, 401)
    assert.equal(json(wrong)['code'], 'invalid_credentials')
    assert.equal(unknown.body, wrong.body)
    assert.equal(unknown.headers['content-type'], wrong.headers['content-type'])
    assert.equal(unknown.headers['set-cookie'], undefined)
    assert.equal(wrong.headers['set-cookie'], undefined)
  })

  it('says account_disabled (403) only to a caller with the right password', async () => {
    const admin = await signUpAdmin(t)
    const account = newAccount()
    const created = json(await register(t.app, account))
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/users/${String(created['id'])}`,
      headers: bearer(admin.accessToken),
      payload: { disabled: true },
    })
    assert.equal(patch.statusCode, 200, patch.body)
    const wrong = await loginRaw({ email: account.email, password: 'not-the-password-at-all' })
    assert.equal(wrong.statusCode, 401)
    assert.equal(json(wrong)['code'], 'invalid_credentials')
    const right = await loginRaw({ email: account.email, password: account.password })
    assert.equal(right.statusCode, 403)
    assert.equal(json(right)['code'], 'account_disabled')
    assert.equal(right.headers['set-cookie'], undefined)
  })

  for (const [what, payload] of [
    [
      'both email and username',
      { email: 'a@example.com', username: 'a', password: 'x'.repeat(20) },
    ],
    ['neither email nor username', { password: 'x'.repeat(20) }],
    ['no password', { email: 'a@example.com' }],
    ['an object for the email', { email: { $ne: null }, password: 'x'.repeat(20) }],
    ['an unknown field', { email: 'a@example.com', password: 'x'.repeat(20), remember: true }],
  ] as const) {
    it(`answers 422 for ${what}`, async () => {
      const response = await loginRaw(payload)
      assert.equal(response.statusCode, 422, response.body)
      assert.equal(json(response)['code'], 'validation_failed')
    })
  }
})
