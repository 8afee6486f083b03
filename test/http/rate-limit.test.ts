import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, makeApp, type TestApp } from '../helpers/app.ts'
import {
  clientKey,
  LOGIN_LIMITS,
  REFRESH_LIMITS,
  REGISTER_LIMITS,
} from '../../src/http/rate-limit.ts'

const perMinute = (rules: typeof LOGIN_LIMITS): number => {
  const rule = rules.find((r) => r.windowSeconds === 60)
  assert.ok(rule !== undefined)
  return rule.limit
}

describe('per-IP rate limits (SEC-RATE-02, SEC-RATE-03)', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ RATE_LIMIT: 'on' })
  })
  after(async () => {
    await t.close()
  })

  // Malformed bodies: the limit is checked before the body is read, so they count too.
  async function hitLogin(remoteAddress: string, headers: Record<string, string> = {}) {
    return t.app.inject({ method: 'POST', url: '/auth/login', remoteAddress, headers, payload: {} })
  }

  it('answers 429 rate_limited with Retry-After once an address exceeds the login limit', async () => {
    const limit = perMinute(LOGIN_LIMITS)
    for (let i = 0; i < limit; i++) {
      assert.equal((await hitLogin('203.0.113.7')).statusCode, 422)
    }
    const refused = await hitLogin('203.0.113.7')
    assert.equal(refused.statusCode, 429)
    assert.equal(json(refused)['code'], 'rate_limited')
    assert.ok(Number(refused.headers['retry-after']) >= 1)
    assert.equal((await hitLogin('203.0.113.8')).statusCode, 422, 'another address is unaffected')
  })

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const limit = perMinute(LOGIN_LIMITS)
    let last = 0
    for (let i = 0; i <= limit; i++) {
      last = (await hitLogin('198.51.100.9', { 'x-forwarded-for': `10.0.${i}.1` })).statusCode
    }
    assert.equal(last, 429)
  })

  it('keys IPv6 clients by their /64, so rotating addresses does not help', async () => {
    const limit = perMinute(LOGIN_LIMITS)
    let last = 0
    for (let i = 0; i <= limit; i++) {
      last = (await hitLogin(`2001:db8:1:2::${(i + 1).toString(16)}`)).statusCode
    }
    assert.equal(last, 429)
    assert.equal(clientKey('2001:db8:1:2::1'), clientKey('2001:DB8:1:2:ffff:ffff:ffff:ffff'))
    assert.notEqual(clientKey('2001:db8:1:2::1'), clientKey('2001:db8:1:3::1'))
    assert.equal(clientKey('::ffff:192.0.2.1'), '192.0.2.1')
    assert.equal(clientKey('192.0.2.1'), '192.0.2.1')
  })

  it('limits registration per address', async () => {
    const limit = perMinute(REGISTER_LIMITS)
    let last = 0
    for (let i = 0; i <= limit; i++) {
      last = (
        await t.app.inject({
          method: 'POST',
          url: '/auth/register',
          remoteAddress: '192.0.2.44',
          payload: {},
        })
      ).statusCode
    }
    assert.equal(last, 429)
  })

  it('limits refresh per address', async () => {
    const limit = perMinute(REFRESH_LIMITS)
    let last = 0
    for (let i = 0; i <= limit; i++) {
      last = (
        await t.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          remoteAddress: '192.0.2.55',
          payload: {},
        })
      ).statusCode
    }
    assert.equal(last, 429)
  })
})
