// latchkey/client: every operation it calls exists in the server's own /openapi.json with that
// method, and the client works end to end against a listening server.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  createClient,
  isMFARequired,
  LatchkeyClientError,
  OPERATIONS,
} from '../../src/client/index.ts'
import { makeTestServer, newAccount, type TestServer } from '../helpers/app.ts'

describe('latchkey/client', () => {
  let server: TestServer
  let base: string
  before(async () => {
    server = await makeTestServer()
    base = await server.app.listen({ port: 0, host: '127.0.0.1' })
  })
  after(() => server.cleanup())

  it('calls only operations the OpenAPI document describes, with the same method', async () => {
    const response = await server.app.inject({ url: '/openapi.json' })
    assert.equal(response.statusCode, 200)
    const doc = response.json<{ paths: Record<string, Record<string, unknown>> }>()
    for (const [name, { method, path }] of Object.entries(OPERATIONS)) {
      const item = doc.paths[path]
      assert.ok(item !== undefined, `${name}: ${path} is not in /openapi.json`)
      assert.ok(method.toLowerCase() in item, `${name}: ${method} ${path} is not in /openapi.json`)
    }
  })

  it('registers, logs in, reads /auth/me and surfaces problems as LatchkeyClientError', async () => {
    let token: string | null = null
    const client = createClient({ baseUrl: base, accessToken: () => token })
    const account = newAccount()
    const user = await client.register(account)
    assert.equal(user.email, account.email)
    const tokens = await client.login({ email: account.email, password: account.password })
    assert.ok(!isMFARequired(tokens))
    token = tokens.access_token
    assert.equal((await client.me()).id, user.id)
    assert.equal((await client.listSessions()).length, 1)
    const refreshed = await client.refresh(tokens.refresh_token)
    token = refreshed.access_token
    assert.equal((await client.health()).status, 'ok')
    assert.ok((await client.jwks()).keys.length >= 1)

    await assert.rejects(client.listUsers(), (error: unknown) => {
      assert.ok(error instanceof LatchkeyClientError)
      assert.equal(error.status, 403)
      assert.equal(error.code, 'forbidden')
      return true
    })
    await client.logout()
    await assert.rejects(client.me(), { status: 401 })
  })
})
