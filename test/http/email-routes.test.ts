import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bearer, json, makeApp, signUp, type TestApp } from '../helpers/app.ts'
import { FakeClock } from '../helpers/fake-clock.ts'

// The contract side of the mail routes: OpenAPI, and `token_expired` keeping 401 for access tokens
// while the link-token routes answer it with 400 (api.md lists both).

describe('mail routes: contract', () => {
  let t: TestApp
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'))
  before(async () => {
    t = await makeApp({}, { clock })
  })
  after(async () => {
    await t.close()
  })

  it('documents the four routes with their bodies and answers in /openapi.json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' })
    const document = json(response) as {
      paths: Record<
        string,
        Record<
          string,
          { tags: string[]; requestBody?: unknown; responses: Record<string, unknown> }
        >
      >
    }
    const expected: [string, string[]][] = [
      ['/auth/email/verify', ['200', '400', '429']],
      ['/auth/email/verify/resend', ['202', '401', '429']],
      ['/auth/password/forgot', ['202', '422', '429']],
      ['/auth/password/reset', ['204', '400', '422', '429']],
    ]
    for (const [path, statuses] of expected) {
      const operation = document.paths[path]?.['post']
      assert.ok(operation !== undefined, path)
      assert.deepEqual(operation.tags, ['email'])
      for (const status of statuses) assert.ok(status in operation.responses, `${path} ${status}`)
    }
    const reset = JSON.stringify(document.paths['/auth/password/reset'])
    assert.ok(reset.includes('new_password') && reset.includes('token'))
  })

  it('keeps 401 token_expired for an expired access token, on /auth/me and on resend', async () => {
    const user = await signUp(t.app)
    clock.advance(16 * 60) // past ACCESS_TOKEN_TTL (15 min)
    for (const url of ['/auth/me']) {
      const response = await t.app.inject({ method: 'GET', url, headers: bearer(user.accessToken) })
      assert.equal(response.statusCode, 401)
      assert.equal(json(response)['code'], 'token_expired')
    }
    const resend = await t.app.inject({
      method: 'POST',
      url: '/auth/email/verify/resend',
      headers: bearer(user.accessToken),
    })
    assert.equal(resend.statusCode, 401)
    assert.equal(json(resend)['code'], 'token_expired')
  })

  it('answers 4xx, never 5xx, to malformed bodies on every mail route', async () => {
    const bodies: unknown[] = [
      {},
      { token: 1 },
      { token: ['a'] },
      { email: { $gt: '' } },
      { extra: true },
      'x',
    ]
    for (const url of ['/auth/email/verify', '/auth/password/forgot', '/auth/password/reset']) {
      for (const payload of bodies) {
        const response = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        })
        assert.ok(
          response.statusCode >= 400 && response.statusCode < 500,
          `${url} ${JSON.stringify(payload)}`,
        )
      }
    }
  })
})
