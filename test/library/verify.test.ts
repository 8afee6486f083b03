// latchkey/verify against a real listening server: offline JWKS verification, its pinned rules,
// and the opt-in revocation check through POST /oauth/introspect (RFC 7662).
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { createJWKSVerifier, TokenVerificationError } from '../../src/verify/index.ts'
import { bearer, makeTestServer, signUp, type TestServer } from '../helpers/app.ts'

const PUBLIC_URL = 'http://localhost:3000'
const CLIENT = { id: 'orders-api', secret: 'an-introspection-secret-of-40-characters!' }

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
}

describe('latchkey/verify and POST /oauth/introspect', () => {
  let server: TestServer
  let base: string
  before(async () => {
    server = await makeTestServer({
      PUBLIC_URL,
      INTROSPECTION_CLIENTS: `${CLIENT.id}:${CLIENT.secret},other:${'x'.repeat(32)}`,
    })
    base = await server.app.listen({ port: 0, host: '127.0.0.1' })
  })
  after(() => server.cleanup())

  const verifier = (withIntrospection: boolean): ReturnType<typeof createJWKSVerifier> =>
    createJWKSVerifier({
      issuer: PUBLIC_URL,
      jwksUrl: `${base}/.well-known/jwks.json`,
      ...(withIntrospection
        ? {
            introspection: {
              clientId: CLIENT.id,
              clientSecret: CLIENT.secret,
              url: `${base}/oauth/introspect`,
            },
          }
        : {}),
    })

  async function introspect(token: string, authorization?: string): Promise<Response> {
    return fetch(`${base}/oauth/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: new URLSearchParams({ token }).toString(),
    })
  }

  it('verifies a live access token offline and returns its claims', async () => {
    const user = await signUp(server.app)
    const claims = await verifier(false).verifyToken(user.accessToken)
    assert.equal(claims.sub, user.id)
    assert.equal(claims.iss, PUBLIC_URL)
    const verdict = await verifier(false).verifyRequest(
      new Request('http://api.test/orders', { headers: bearer(user.accessToken) }),
    )
    assert.equal(verdict.ok, true)
  })

  it('refuses a tampered token, another algorithm, another key and a missing token', async () => {
    const user = await signUp(server.app)
    const [h, p, s] = user.accessToken.split('.')
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url')}.${s}`
    await assert.rejects(verifier(false).verifyToken(forged), { code: 'invalid_token' })
    assert.ok(p !== undefined)

    // The same claims signed with HS256 (alg confusion) and with a key not in the JWKS.
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new Uint8Array(32))
    await assert.rejects(verifier(false).verifyToken(hs), { code: 'invalid_token' })
    const { privateKey } = generateKeyPairSync('ed25519')
    const stranger = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'not-ours' })
      .sign(privateKey)
    await assert.rejects(verifier(false).verifyToken(stranger), TokenVerificationError)
    // An untyped JWT (an ID token, say) is not an access token.
    const untyped = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey)
    await assert.rejects(verifier(false).verifyToken(untyped), { code: 'invalid_token' })

    const none = await verifier(false).verifyRequest(new Request('http://api.test/'))
    assert.equal(none.ok, false)
    assert.equal(!none.ok && none.error.status, 401)
  })

  it('introspection: active for a live token, inactive once the session is revoked', async () => {
    const user = await signUp(server.app)
    const live = await introspect(user.accessToken, basic(CLIENT.id, CLIENT.secret))
    assert.equal(live.status, 200)
    const body = (await live.json()) as Record<string, unknown>
    assert.equal(body['active'], true)
    assert.equal(body['sub'], user.id)
    assert.equal(body['token_type'], 'Bearer')
    assert.equal(live.headers.get('cache-control'), 'no-store')

    const logout = await server.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(user.accessToken),
    })
    assert.equal(logout.statusCode, 204)
    const dead = await introspect(user.accessToken, basic(CLIENT.id, CLIENT.secret))
    assert.deepEqual(await dead.json(), { active: false })
    const junk = await introspect('not-a-token', basic(CLIENT.id, CLIENT.secret))
    assert.deepEqual(await junk.json(), { active: false })

    // Offline verification alone still accepts it until exp; the opt-in check refuses it.
    await verifier(false).verifyToken(user.accessToken)
    await assert.rejects(verifier(true).verifyToken(user.accessToken), { code: 'token_revoked' })
  })

  it('introspection refuses unknown clients and wrong secrets; accepts client_secret_post', async () => {
    const user = await signUp(server.app)
    for (const auth of [undefined, basic(CLIENT.id, 'wrong'), basic('nobody', CLIENT.secret)]) {
      const response = await introspect(user.accessToken, auth)
      assert.equal(response.status, 401)
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/)
      const problem = (await response.json()) as Record<string, unknown>
      assert.equal(problem['active'], undefined, 'nothing about the token leaks')
    }
    const posted = await fetch(`${base}/oauth/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: user.accessToken,
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
      }).toString(),
    })
    assert.equal(((await posted.json()) as Record<string, unknown>)['active'], true)
  })

  it('with introspection on, a live token passes and an unreachable server is a 503, not a pass', async () => {
    const user = await signUp(server.app)
    const claims = await verifier(true).verifyToken(user.accessToken)
    assert.equal(claims.sub, user.id)
    const unreachable = createJWKSVerifier({
      issuer: PUBLIC_URL,
      jwksUrl: `${base}/.well-known/jwks.json`,
      introspection: { clientId: 'x', clientSecret: 'y', url: 'http://127.0.0.1:9/introspect' },
    })
    await assert.rejects(unreachable.verifyToken(user.accessToken), {
      code: 'verification_unavailable',
      status: 503,
    })
  })
})
