import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { AuthError } from '../../src/core/errors.ts'
import { tokensOf } from '../helpers/login-result.ts'
import { makeCore, req, strongPassword, type CoreHarness } from '../helpers/core.ts'

let core: CoreHarness
afterEach(async () => core.close())

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    return error instanceof AuthError ? error.code : String(error)
  }
}

async function login(c: CoreHarness) {
  await c.auth.register({ email: 'ada@example.com', password: strongPassword }, req)
  return tokensOf(await c.auth.login({ email: 'ada@example.com', password: strongPassword }, req))
}

describe('core: refresh rotation', () => {
  it('rotates: each use returns a new token, and the session stays the same', async () => {
    core = await makeCore()
    const tokens = await login(core)
    const next = await core.auth.refresh(tokens.refreshToken, req)
    assert.notEqual(next.refreshToken, tokens.refreshToken)
    assert.equal(next.session.id, tokens.session.id)
    assert.equal(next.sessionToken, null)
    assert.equal(
      (await core.auth.authenticate({ kind: 'bearer', token: next.accessToken })).session.id,
      tokens.session.id,
    )
    const stored = await core.store.refreshTokens.findByHash(new Uint8Array(32))
    assert.equal(stored, null)
  })

  it('gives concurrent presentations inside the grace window the same successor', async () => {
    core = await makeCore()
    const tokens = await login(core)
    const results = await Promise.all(
      Array.from({ length: 5 }, () => core.auth.refresh(tokens.refreshToken, req)),
    )
    assert.equal(new Set(results.map((r) => r.refreshToken)).size, 1)
    core.clock.advance(5)
    assert.equal(
      (await core.auth.refresh(tokens.refreshToken, req)).refreshToken,
      results[0]?.refreshToken,
    )
    assert.equal(await code(core.auth.refresh(results[0]?.refreshToken ?? '', req)), 'ok')
  })

  it('treats a presentation after the grace window as theft: the whole session ends and it is audited', async () => {
    core = await makeCore()
    const tokens = await login(core)
    const next = await core.auth.refresh(tokens.refreshToken, req)
    core.clock.advance(11)
    assert.equal(await code(core.auth.refresh(tokens.refreshToken, req)), 'invalid_refresh_token')
    assert.equal(await code(core.auth.refresh(next.refreshToken, req)), 'invalid_refresh_token')
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: next.accessToken })),
      'session_revoked',
    )
    assert.equal(
      await code(core.auth.authenticate({ kind: 'cookie', token: tokens.sessionToken ?? '' })),
      'session_revoked',
    )
    const events = await core.store.audit.query({ type: 'token.reuse_detected', limit: 5 })
    assert.equal(events.items.length, 1)
  })

  it('expires an unused refresh token after its idle lifetime', async () => {
    core = await makeCore({ refreshTokenTtlSeconds: 3600, sessionIdleTimeoutSeconds: 86400 })
    const tokens = await login(core)
    core.clock.advance(3601)
    assert.equal(await code(core.auth.refresh(tokens.refreshToken, req)), 'invalid_refresh_token')
  })

  it('refuses garbage', async () => {
    core = await makeCore()
    assert.equal(await code(core.auth.refresh('x', req)), 'invalid_refresh_token')
    assert.equal(await code(core.auth.refresh('', req)), 'invalid_refresh_token')
    assert.equal(await code(core.auth.refresh('a'.repeat(5000), req)), 'invalid_refresh_token')
  })
})
