// SEC-RATE-03: the per-IP limiter keys on the client address Fastify derives from the socket and,
// only when TRUST_PROXY names the proxy, from X-Forwarded-For - proxy-addr semantics: walk the
// list from the right and stop at the first hop that is not trusted. These tests drive the real
// app (app.inject with remoteAddress) and watch where the login limit (20/min) lands.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { LOGIN_LIMITS } from '../../src/http/rate-limit.ts'

const LIMIT = LOGIN_LIMITS.find((rule) => rule.windowSeconds === 60)?.limit ?? 0

/** POSTs an empty (invalid, 422) login: the limiter runs before the body is read, so it counts. */
function hit(t: TestApp, remoteAddress: string, xff?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/auth/login',
    remoteAddress,
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    payload: {},
  })
}

/** Sends LIMIT requests (all must pass), then one more; answers the last status code. */
async function exhaust(request: (i: number) => ReturnType<typeof hit>): Promise<number> {
  for (let i = 0; i < LIMIT; i++) assert.equal((await request(i)).statusCode, 422, `request ${i}`)
  return (await request(LIMIT)).statusCode
}

describe('per-IP limits behind a trusted proxy (TRUST_PROXY=127.0.0.1)', () => {
  let t: TestApp
  before(async () => {
    assert.ok(LIMIT > 0)
    t = await makeApp({ RATE_LIMIT: 'on', TRUST_PROXY: '127.0.0.1' })
  })
  after(async () => {
    await t.close()
  })

  it('keys on the address the proxy appended, so clients behind one proxy are kept apart', async () => {
    assert.equal(await exhaust(() => hit(t, '127.0.0.1', '203.0.113.10')), 429)
    // Another client behind the same proxy is unaffected: the key is not the proxy's address.
    assert.equal((await hit(t, '127.0.0.1', '203.0.113.11')).statusCode, 422)
  })

  it('ignores a spoofed left-most entry: the right-most untrusted hop is the client', async () => {
    // The client sent "X-Forwarded-For: <made up>"; the proxy appended the real address.
    const status = await exhaust((i) => hit(t, '127.0.0.1', `10.9.${i}.1, 198.51.100.20`))
    assert.equal(status, 429)
    assert.equal(
      (await hit(t, '127.0.0.1', '198.51.100.20')).statusCode,
      429,
      'same client, same key',
    )
  })

  it('does not trust X-Forwarded-For from a peer that is not the proxy', async () => {
    const status = await exhaust((i) => hit(t, '192.0.2.99', `10.8.${i}.1`))
    assert.equal(status, 429, 'every forged header mapped to the socket address')
  })

  it('does not let a client pose as the trusted proxy inside the header', async () => {
    // "127.0.0.1" inside the list is only skipped if it is the hop that actually connected;
    // here the real client 198.51.100.40 appears right of the forged entries.
    const status = await exhaust((i) =>
      hit(t, '127.0.0.1', `10.7.${i}.1, 127.0.0.1, 198.51.100.40`),
    )
    assert.equal(status, 429)
  })
})

describe('per-IP limits without a trusted proxy (TRUST_PROXY unset)', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ RATE_LIMIT: 'on' })
  })
  after(async () => {
    await t.close()
  })

  it('ignores X-Forwarded-For entirely, even from loopback', async () => {
    const status = await exhaust((i) => hit(t, '127.0.0.1', `203.0.113.${i + 1}`))
    assert.equal(status, 429, 'rotating the header did not buy fresh buckets')
  })
})

describe('a chain of trusted proxies (TRUST_PROXY=127.0.0.1,10.0.0.0/8)', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ RATE_LIMIT: 'on', TRUST_PROXY: '127.0.0.1,10.0.0.0/8' })
  })
  after(async () => {
    await t.close()
  })

  it('skips every trusted hop from the right and stops at the first untrusted one', async () => {
    const status = await exhaust((i) =>
      hit(t, '127.0.0.1', `172.16.${i}.9, 198.51.100.30, 10.0.0.5`),
    )
    assert.equal(status, 429)
    assert.equal((await hit(t, '127.0.0.1', '198.51.100.31, 10.0.0.5')).statusCode, 422)
  })
})
