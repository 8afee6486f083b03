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

async function signUpAndIn(c: CoreHarness, email = 'ada@example.com') {
  await c.auth.register({ email, password: strongPassword }, req)
  const tokens = tokensOf(await c.auth.login({ email, password: strongPassword }, req))
  return tokens
}

describe('core: sessions and revocation', () => {
  it('accepts the bearer JWT and the cookie token, and refuses both once logged out', async () => {
    core = await makeCore()
    const tokens = await signUpAndIn(core)
    const bearer = { kind: 'bearer', token: tokens.accessToken } as const
    const cookie = { kind: 'cookie', token: tokens.sessionToken ?? '' } as const
    const principal = await core.auth.authenticate(bearer)
    assert.equal((await core.auth.authenticate(cookie)).session.id, principal.session.id)
    await core.auth.logout(principal, req)
    assert.equal(await code(core.auth.authenticate(bearer)), 'session_revoked')
    assert.equal(await code(core.auth.authenticate(cookie)), 'session_revoked')
    assert.equal(await code(core.auth.refresh(tokens.refreshToken, req)), 'invalid_refresh_token')
  })

  it('refuses a cookie whose secret is wrong, and an expired JWT as token_expired', async () => {
    core = await makeCore()
    const tokens = await signUpAndIn(core)
    const [id] = (tokens.sessionToken ?? '').split('.')
    assert.equal(
      await code(core.auth.authenticate({ kind: 'cookie', token: `${id}.forged-secret` })),
      'not_authenticated',
    )
    core.clock.advance(901)
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })),
      'token_expired',
    )
  })

  it('single policy: a new login ends the other sessions', async () => {
    core = await makeCore()
    const first = await signUpAndIn(core)
    await core.auth.login({ email: 'ada@example.com', password: strongPassword }, req)
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: first.accessToken })),
      'session_revoked',
    )
  })

  it('single policy holds under concurrent logins: exactly one session survives', async () => {
    core = await makeCore({ rateLimit: false })
    await core.auth.register({ email: 'ada@example.com', password: strongPassword }, req)
    const logins = await Promise.all(
      Array.from({ length: 8 }, () =>
        core.auth.login({ email: 'ada@example.com', password: strongPassword }, req),
      ),
    )
    const alive = await Promise.all(
      logins.map((l) =>
        code(core.auth.authenticate({ kind: 'bearer', token: tokensOf(l).accessToken })),
      ),
    )
    assert.equal(alive.filter((c) => c === 'ok').length, 1)
  })

  it('multiple policy with a maximum ends the oldest', async () => {
    core = await makeCore({ sessionPolicy: { kind: 'multiple', max: 2 } })
    const a = await signUpAndIn(core)
    core.clock.advance(1)
    const b = await core.auth.login({ email: 'ada@example.com', password: strongPassword }, req)
    core.clock.advance(1)
    const c = await core.auth.login({ email: 'ada@example.com', password: strongPassword }, req)
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: a.accessToken })),
      'session_revoked',
    )
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: tokensOf(b).accessToken })),
      'ok',
    )
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: tokensOf(c).accessToken })),
      'ok',
    )
  })

  it('enforces the idle timeout and the absolute limit server-side', async () => {
    core = await makeCore({
      sessionIdleTimeoutSeconds: 3600,
      sessionMaxAgeSeconds: 3 * 3600,
      accessTokenTtlSeconds: 60,
    })
    const tokens = await signUpAndIn(core)
    const cookie = { kind: 'cookie', token: tokens.sessionToken ?? '' } as const
    core.clock.advance(3601)
    assert.equal(await code(core.auth.authenticate(cookie)), 'session_revoked')

    const fresh = await core.auth.login({ email: 'ada@example.com', password: strongPassword }, req)
    let refresh = tokensOf(fresh).refreshToken
    const freshCookie = { kind: 'cookie', token: tokensOf(fresh).sessionToken ?? '' } as const
    // Activity every 50 minutes keeps it alive, but never past three hours.
    for (let i = 0; i < 3; i++) {
      core.clock.advance(50 * 60)
      assert.equal(await code(core.auth.authenticate(freshCookie)), 'ok')
      refresh = (await core.auth.refresh(refresh, req)).refreshToken
    }
    core.clock.advance(31 * 60)
    assert.equal(await code(core.auth.authenticate(freshCookie)), 'session_revoked')
    assert.equal(await code(core.auth.refresh(refresh, req)), 'invalid_refresh_token')
  })

  it('a password change ends the other sessions but not the current one', async () => {
    core = await makeCore({ sessionPolicy: { kind: 'multiple', max: null } })
    const a = await signUpAndIn(core)
    const b = await core.auth.login({ email: 'ada@example.com', password: strongPassword }, req)
    const principal = await core.auth.authenticate({ kind: 'bearer', token: a.accessToken })
    assert.equal(
      await code(
        core.auth.changePassword(
          principal,
          { currentPassword: 'not-the-password-at-all', newPassword: 'another-strong-passphrase' },
          req,
        ),
      ),
      'invalid_credentials',
    )
    await core.auth.changePassword(
      principal,
      { currentPassword: strongPassword, newPassword: 'another-strong-passphrase' },
      req,
    )
    assert.equal(await code(core.auth.authenticate({ kind: 'bearer', token: a.accessToken })), 'ok')
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: tokensOf(b).accessToken })),
      'session_revoked',
    )
  })

  it('disabling an account ends its sessions at once; a role change too', async () => {
    core = await makeCore({ sessionPolicy: { kind: 'multiple', max: null } })
    const admin = await core.auth.createUser(
      { email: 'root@example.com', password: strongPassword, role: 'admin' },
      req,
    )
    const adminTokens = await core.auth.login({ email: admin.email, password: strongPassword }, req)
    const adminPrincipal = await core.auth.authenticate({
      kind: 'bearer',
      token: tokensOf(adminTokens).accessToken,
    })
    const user = await signUpAndIn(core, 'user@example.com')
    await core.auth.updateUser(adminPrincipal, user.user.id, { disabled: true }, req)
    assert.equal(
      await code(core.auth.authenticate({ kind: 'bearer', token: user.accessToken })),
      'session_revoked',
    )
    const userPrincipal = adminPrincipal // any non-admin attempt is refused in core
    assert.equal(
      await code(
        core.auth.listUsers(
          { ...userPrincipal, user: { ...userPrincipal.user, role: 'user' } },
          {},
        ),
      ),
      'forbidden',
    )
  })
})
