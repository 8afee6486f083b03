// SEC-RATE-01 over HTTP: 100 parallel wrong passwords for one account, each from its own address
// (so per-IP limits never fire), run exactly the configured number of password checks. A check
// that runs answers 401 invalid_credentials; a throttled attempt answers 429 without hashing.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, makeApp, strongPassword, type TestApp } from '../helpers/app.ts'

describe('per-account lockout under 100 parallel wrong passwords (HTTP)', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ RATE_LIMIT: 'on', LOGIN_THROTTLE_FREE_ATTEMPTS: '5' })
    const created = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'victim@example.com', password: strongPassword },
    })
    assert.equal(created.statusCode, 201)
  })
  after(async () => {
    await t.close()
  })

  it('runs 5 free checks plus the one that earns the first delay, refuses the other 94', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/auth/login',
          remoteAddress: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          payload: { email: 'victim@example.com', password: `wrong-guess-number-${i}-xyz` },
        }),
      ),
    )
    const codes = responses.map((r) => r.statusCode)
    assert.equal(codes.filter((c) => c === 401).length, 6, 'password checks that ran')
    assert.equal(codes.filter((c) => c === 429).length, 94)
    const refused = responses.find((r) => r.statusCode === 429)
    assert.ok(Number(refused?.headers['retry-after']) >= 1)
    assert.equal(refused === undefined ? '' : json(refused)['code'], 'rate_limited')
  })

  it('refuses even the right password while the account is throttled, from any address', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: '203.0.113.200',
      payload: { email: 'victim@example.com', password: strongPassword },
    })
    assert.equal(response.statusCode, 429)
  })
})
