// /auth/passkeys/...: registration and passkey-only sign-in with a software authenticator, so the
// server's real WebAuthn verification runs; the RP ID and origin come from PUBLIC_URL only.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  json,
  makeApp,
  newAccount,
  register,
  sessionTokenFrom,
  cookieHeaders,
  type LoggedIn,
  login,
  type TestApp,
} from '../helpers/app.ts'
import { SettableClock } from '../helpers/clock.ts'
import { codeAt } from '../helpers/mfa.ts'
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts'

describe('passkeys (JSON API)', () => {
  let t: TestApp
  const clock = new SettableClock(new Date())
  before(async () => {
    t = await makeApp({ SESSION_POLICY: 'multiple' }, { clock })
  })
  after(async () => t.close())

  async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
    return t.app.inject({
      method: 'POST',
      url,
      headers,
      payload: payload as Record<string, unknown>,
    })
  }

  async function signUpFresh(): Promise<LoggedIn> {
    const account = newAccount()
    await register(t.app, account)
    return login(t.app, account.email, account.password)
  }

  async function registerPasskey(user: LoggedIn, name?: string) {
    const options = json(
      await post('/auth/passkeys/register/options', {}, bearer(user.accessToken)),
    )
    const authenticator = new SoftAuthenticator(user.id)
    const credential = authenticator.register({ challenge: String(options['challenge']) })
    const response = await post(
      '/auth/passkeys/register/verify',
      { credential, ...(name === undefined ? {} : { name }) },
      bearer(user.accessToken),
    )
    return { authenticator, response, credential }
  }

  async function loginOptions(): Promise<string> {
    const response = await post('/auth/passkeys/login/options', {})
    assert.equal(response.statusCode, 200)
    return String(json(response)['challenge'])
  }

  it('offers creation options for PUBLIC_URL, whatever the Host header says', async () => {
    const user = await signUpFresh()
    const response = await post(
      '/auth/passkeys/register/options',
      {},
      {
        ...bearer(user.accessToken),
        host: 'evil.example',
      },
    )
    assert.equal(response.statusCode, 200)
    const options = json(response)
    assert.deepEqual(options['rp'], { name: 'localhost', id: 'localhost' })
    const entity = options['user'] as Record<string, unknown>
    assert.equal(Buffer.from(String(entity['id']), 'base64url').toString(), user.id)
    assert.equal(entity['name'], user.email)
    assert.deepEqual(options['authenticatorSelection'], {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'required',
    })
    assert.ok(String(options['challenge']).length >= 43, '32 random bytes')
    assert.equal((await post('/auth/passkeys/register/options', {})).statusCode, 401)
  })

  it('registers, lists, signs in with the passkey alone, and refuses replays', async () => {
    const user = await signUpFresh()
    const { authenticator, response, credential } = await registerPasskey(user, 'Laptop')
    assert.equal(response.statusCode, 201, response.body)
    const passkey = json(response)
    assert.deepEqual(Object.keys(passkey).sort(), ['created_at', 'id', 'last_used_at', 'name'])
    assert.equal(passkey['name'], 'Laptop')
    assert.ok(!response.body.includes(authenticator.id), 'the credential id stays inside')

    const again = await post(
      '/auth/passkeys/register/verify',
      { credential },
      bearer(user.accessToken),
    )
    assert.equal(again.statusCode, 400, 'the challenge is single use')
    assert.equal(json(again)['code'], 'passkey_rejected')

    const list = await t.app.inject({ url: '/auth/passkeys', headers: bearer(user.accessToken) })
    assert.deepEqual(
      list.json<Record<string, unknown>[]>().map((p) => p['id']),
      [passkey['id']],
    )

    const options = json(await post('/auth/passkeys/login/options', {}))
    assert.equal(options['rpId'], 'localhost')
    assert.equal(options['userVerification'], 'required')
    assert.deepEqual(options['allowCredentials'] ?? [], [], 'discoverable: no user named')
    const assertion = authenticator.assert({ challenge: String(options['challenge']) })
    const signedIn = await post('/auth/passkeys/login/verify', { credential: assertion })
    assert.equal(signedIn.statusCode, 200, signedIn.body)
    const tokens = json(signedIn)
    assert.equal((tokens['user'] as Record<string, unknown>)['id'], user.id)
    const me = await t.app.inject({
      url: '/auth/me',
      headers: cookieHeaders(sessionTokenFrom(signedIn)),
    })
    assert.equal(me.statusCode, 200)

    const replay = await post('/auth/passkeys/login/verify', { credential: assertion })
    assert.equal(replay.statusCode, 401)
    assert.equal(json(replay)['code'], 'invalid_passkey')
    const logs = await t.app.inject({
      url: `/users/${user.id}/logs?type=user.login_succeeded&limit=1`,
      headers: bearer(String(tokens['access_token'])),
    })
    const [event] = json(logs)['items'] as Record<string, Record<string, unknown>>[]
    assert.equal(event?.['data']?.['method'], 'passkey')
  })

  it('refuses a wrong origin, a foreign key, a stale counter and a forged user handle', async () => {
    const user = await signUpFresh()
    const { authenticator } = await registerPasskey(user)
    const refused = async (credential: Record<string, unknown>) => {
      const response = await post('/auth/passkeys/login/verify', { credential })
      assert.equal(response.statusCode, 401, response.body)
      assert.equal(json(response)['code'], 'invalid_passkey')
    }
    await refused(
      authenticator.assert({ challenge: await loginOptions(), origin: 'http://evil.example' }),
    )
    await refused(authenticator.assert({ challenge: await loginOptions(), rpId: 'evil.example' }))
    const impostor = new SoftAuthenticator(user.id)
    const forged = impostor.assert({ challenge: await loginOptions() })
    await refused({ ...forged, id: authenticator.id, rawId: authenticator.id })
    // WebAuthn §6.1.1: a signature counter that does not grow may be a cloned authenticator.
    const ok = authenticator.assert({ challenge: await loginOptions() })
    assert.equal((await post('/auth/passkeys/login/verify', { credential: ok })).statusCode, 200)
    await refused(authenticator.assert({ challenge: await loginOptions(), bumpCounter: false }))
    const other = await signUpFresh()
    const wrongHandle = new SoftAuthenticator(other.id)
    const signed = authenticator.assert({ challenge: await loginOptions() })
    const handle = (wrongHandle.assert({ challenge: 'x' })['response'] as Record<string, unknown>)[
      'userHandle'
    ]
    await refused({
      ...signed,
      response: { ...(signed['response'] as object), userHandle: handle },
    })
    await refused({
      ...signed,
      response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
    })
  })

  it('satisfies two-factor authentication: no mfa_required after a passkey', async () => {
    const user = await signUpFresh()
    const { authenticator } = await registerPasskey(user)
    const setup = json(await post('/auth/2fa/setup', {}, bearer(user.accessToken)))
    clock.advance(30)
    const code = codeAt(String(setup['secret']), clock.now())
    assert.equal(
      (await post('/auth/2fa/enable', { code }, bearer(user.accessToken))).statusCode,
      200,
    )
    const password = await post('/auth/login', { email: user.email, password: user.password })
    assert.equal(json(password)['mfa_required'], true)
    const passkey = await post('/auth/passkeys/login/verify', {
      credential: authenticator.assert({ challenge: await loginOptions() }),
    })
    assert.equal(passkey.statusCode, 200)
    assert.ok('access_token' in json(passkey))
  })

  it('deletes only the caller’s own passkeys, after which they sign nobody in', async () => {
    const user = await signUpFresh()
    const other = await signUpFresh()
    const { authenticator, response } = await registerPasskey(user)
    const id = String(json(response)['id'])
    const del = (token: string) =>
      t.app.inject({ method: 'DELETE', url: `/auth/passkeys/${id}`, headers: bearer(token) })
    assert.equal((await del(other.accessToken)).statusCode, 404)
    assert.equal((await del(user.accessToken)).statusCode, 204)
    assert.equal((await del(user.accessToken)).statusCode, 404)
    const login = await post('/auth/passkeys/login/verify', {
      credential: authenticator.assert({ challenge: await loginOptions() }),
    })
    assert.equal(login.statusCode, 401)
  })

  it('asks for a recent sign-in before adding a passkey, and validates the body', async () => {
    const user = await signUpFresh()
    clock.advance(16 * 60)
    // The access token has expired by now; the session (and its cookie) lives on.
    const late = await post('/auth/passkeys/register/options', {}, cookieHeaders(user.sessionToken))
    assert.equal(late.statusCode, 403)
    assert.equal(json(late)['code'], 'reauth_required')
    const fresh = await login(t.app, user.email, user.password)
    const bad = await post(
      '/auth/passkeys/register/verify',
      { credential: { id: 1 } },
      bearer(fresh.accessToken),
    )
    assert.equal(bad.statusCode, 422)
    const junk = await post('/auth/passkeys/login/verify', { credential: 'x' })
    assert.equal(junk.statusCode, 422)
  })
})
