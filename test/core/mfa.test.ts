// Two-factor authentication in core, on the real SQLite store with a fake clock: enrolment, the
// two-step login, replay, the window, attempt limits, recovery codes and the mfa_token ticket.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Principal } from '../../src/core/auth-api.ts'
import { decryptString, deriveKey } from '../../src/crypto/secret-keys.ts'
import { tokensOf } from '../helpers/login-result.ts'
import { makeCore, req, strongPassword, type CoreHarness } from '../helpers/core.ts'
import { codeAt, outcome } from '../helpers/mfa.ts'

let core: CoreHarness
beforeEach(async () => {
  core = await makeCore({ sessionPolicy: { kind: 'multiple', max: null } })
})
afterEach(async () => core.close())

const email = 'ada@example.com'

async function signIn(): Promise<Principal> {
  const tokens = tokensOf(await core.auth.login({ email, password: strongPassword }, req))
  return core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })
}

/** A user with TOTP on; returns its secret and recovery codes. Time moves on one step. */
async function enrolled(): Promise<{ secret: string; recoveryCodes: readonly string[] }> {
  await core.auth.register({ email, password: strongPassword }, req)
  const principal = await signIn()
  const { secret } = await core.auth.setupTotp(principal, req)
  const recoveryCodes = await core.auth.enableTotp(principal, codeAt(secret, core.clock.now()), req)
  core.clock.advance(30)
  return { secret, recoveryCodes }
}

async function ticket(): Promise<string> {
  const result = await core.auth.login({ email, password: strongPassword }, req)
  assert.equal(result.kind, 'mfa_required')
  return result.kind === 'mfa_required' ? result.mfaToken : ''
}

async function userId(): Promise<string> {
  return (await core.auth.findUser(email))?.id ?? ''
}

describe('core: TOTP enrolment', () => {
  it('is on only after a first valid code, and stores the secret sealed', async () => {
    await core.auth.register({ email, password: strongPassword }, req)
    const principal = await signIn()
    const setup = await core.auth.setupTotp(principal, req)
    assert.match(setup.otpauthURL, /^otpauth:\/\/totp\/.*secret=[A-Z2-7]+/)
    assert.deepEqual(await core.auth.pendingTotpSetup(principal), setup, 'shown until enabled')
    assert.equal(await outcome(core.auth.enableTotp(principal, '000000', req)), 'invalid_mfa_code')
    assert.equal((await core.auth.findUser(email))?.mfaEnabled, false)

    const factor = await core.store.mfa.findTotp(principal.user.id)
    assert.ok(factor !== null && !factor.secretEncrypted.includes(setup.secret))
    const key = deriveKey(new Uint8Array(32).fill(7), 'totp-secret')
    assert.equal(decryptString(key, factor.secretEncrypted), setup.secret, 'AES-GCM, derived key')
    assert.throws(() =>
      decryptString(deriveKey(new Uint8Array(32).fill(8), 'totp-secret'), factor.secretEncrypted),
    )

    const codes = await core.auth.enableTotp(principal, codeAt(setup.secret, core.clock.now()), req)
    assert.equal(codes.length, 10)
    assert.equal((await core.auth.findUser(email))?.mfaEnabled, true)
    assert.equal(await core.auth.pendingTotpSetup(principal), null, 'never shown again')
    const enabled = await core.store.audit.query({
      userId: principal.user.id,
      type: 'mfa.enabled',
      limit: 5,
    })
    assert.equal(enabled.items.length, 1)
  })

  it('refuses set-up while enabled (re-enrol = disable first) and enable without set-up', async () => {
    await core.auth.register({ email, password: strongPassword }, req)
    const principal = await signIn()
    assert.equal(
      await outcome(core.auth.enableTotp(principal, '123456', req)),
      'mfa_setup_required',
    )
    const { secret } = await core.auth.setupTotp(principal, req)
    await core.auth.enableTotp(principal, codeAt(secret, core.clock.now()), req)
    const enabled = { ...principal, user: { ...principal.user, mfaEnabled: true } }
    assert.equal(await outcome(core.auth.setupTotp(enabled, req)), 'mfa_already_enabled')
    // Even a principal read before enabling is refused: the store decides, atomically.
    assert.equal(await outcome(core.auth.setupTotp(principal, req)), 'mfa_already_enabled')
    assert.equal(
      await outcome(core.auth.enableTotp(principal, '123456', req)),
      'mfa_already_enabled',
    )
  })

  it('asks for a recent sign-in to set up a factor', async () => {
    await core.auth.register({ email, password: strongPassword }, req)
    const principal = await signIn()
    core.clock.advance(16 * 60)
    assert.equal(await outcome(core.auth.setupTotp(principal, req)), 'reauth_required')
    assert.equal(
      await outcome(core.auth.passkeyRegistrationOptions(principal, req)),
      'reauth_required',
    )
  })
})

describe('core: two-step login', () => {
  it('answers mfa_required with no session, then a session for the right code', async () => {
    const { secret } = await enrolled()
    const id = await userId()
    const before = (await core.store.sessions.listActiveForUser(id, core.clock.now())).length
    const mfaToken = await ticket()
    assert.equal((await core.store.sessions.listActiveForUser(id, core.clock.now())).length, before)
    // The ticket opens nothing (SEC-SESS-08).
    assert.equal(
      await outcome(core.auth.authenticate({ kind: 'bearer', token: mfaToken })),
      'not_authenticated',
    )
    assert.equal(
      await outcome(core.auth.authenticate({ kind: 'cookie', token: mfaToken })),
      'not_authenticated',
    )

    const tokens = await core.auth.completeMfaLogin(
      { mfaToken, code: codeAt(secret, core.clock.now()) },
      req,
    )
    assert.equal(tokens.user.id, id)
    assert.ok(tokens.sessionToken !== null)
    const logins = await core.store.audit.query({
      userId: id,
      type: 'user.login_succeeded',
      limit: 1,
    })
    assert.equal(logins.items[0]?.data['method'], 'password+totp')
    assert.equal(logins.items[0]?.sessionId, tokens.session.id)
  })

  it('refuses a replayed code, also under concurrent submissions (SEC-MFA-03)', async () => {
    const { secret } = await enrolled()
    const code = codeAt(secret, core.clock.now())
    await core.auth.completeMfaLogin({ mfaToken: await ticket(), code }, req)
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: await ticket(), code }, req)),
      'invalid_mfa_code',
    )

    core.clock.advance(30)
    const fresh = codeAt(secret, core.clock.now())
    const mfaToken = await ticket()
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        outcome(core.auth.completeMfaLogin({ mfaToken, code: fresh }, req)),
      ),
    )
    assert.equal(results.filter((r) => r === 'ok').length, 1, results.join(','))
  })

  it('accepts one step of drift either way, using the server clock only (SEC-MFA-02)', async () => {
    const { secret } = await enrolled()
    core.clock.advance(60)
    const previous = codeAt(secret, new Date(core.clock.now().getTime() - 30_000))
    await core.auth.completeMfaLogin({ mfaToken: await ticket(), code: previous }, req)
    const next = codeAt(secret, new Date(core.clock.now().getTime() + 30_000))
    await core.auth.completeMfaLogin({ mfaToken: await ticket(), code: next }, req)
    core.clock.advance(120)
    // Two steps old: never accepted, even though no later step has been used yet.
    const stale = codeAt(secret, new Date(core.clock.now().getTime() - 60_000))
    const window = [-30_000, 0, 30_000].map((ms) =>
      codeAt(secret, new Date(core.clock.now().getTime() + ms)),
    )
    if (!window.includes(stale)) {
      assert.equal(
        await outcome(core.auth.completeMfaLogin({ mfaToken: await ticket(), code: stale }, req)),
        'invalid_mfa_code',
      )
    }
  })

  it('limits wrong codes per account and audits each one (SEC-MFA-04)', async () => {
    const { secret } = await enrolled()
    const id = await userId()
    const mfaToken = await ticket()
    const wrong = codeAt(secret, new Date(0))
    const results: string[] = []
    for (let i = 0; i < 7; i++)
      results.push(await outcome(core.auth.completeMfaLogin({ mfaToken, code: wrong }, req)))
    // freeAttempts 5: the 6th is still checked and starts the delay, the 7th waits.
    assert.deepEqual(results, [...Array<string>(6).fill('invalid_mfa_code'), 'rate_limited'])
    const right = codeAt(secret, core.clock.now())
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken, code: right }, req)),
      'rate_limited',
      'even the right code waits',
    )
    // A new ticket shares the account's budget: a stolen ticket gains nothing by re-logging in.
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: await ticket(), code: right }, req)),
      'rate_limited',
    )
    const failed = await core.store.audit.query({ userId: id, type: 'mfa.failed', limit: 20 })
    assert.equal(failed.items.length, 6)
    assert.ok(
      failed.items.every((e) => !JSON.stringify(e.data).includes(wrong)),
      'no code in the log',
    )
    core.clock.advance(2)
    const tokens = await core.auth.completeMfaLogin(
      { mfaToken: await ticket(), code: codeAt(secret, core.clock.now()) },
      req,
    )
    assert.equal(tokens.user.id, id)
  })

  it('makes mfa_token short-lived, single-use and bound to its user', async () => {
    const { secret } = await enrolled()
    const expired = await ticket()
    core.clock.advance(301)
    const code = codeAt(secret, core.clock.now())
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: expired, code }, req)),
      'invalid_mfa_token',
    )

    const once = await ticket()
    await core.auth.completeMfaLogin({ mfaToken: once, code }, req)
    const fresh = (): string => {
      core.clock.advance(30)
      return codeAt(secret, core.clock.now())
    }
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: once, code: fresh() }, req)),
      'invalid_mfa_token',
    )

    const older = await ticket()
    const newer = await ticket()
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: older, code: fresh() }, req)),
      'invalid_mfa_token',
      'voided by the newer login',
    )
    // Forged or tampered tickets are refused before any code is checked or counted.
    const tampered = `${newer.slice(0, -4)}AAAA`
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: tampered, code: '000000' }, req)),
      'invalid_mfa_token',
    )
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: 'v1.a.b.c', code: '000000' }, req)),
      'invalid_mfa_token',
    )
    const failed = await core.store.audit.query({
      userId: await userId(),
      type: 'mfa.failed',
      limit: 5,
    })
    assert.equal(failed.items.length, 0)
    await core.auth.completeMfaLogin({ mfaToken: newer, code: fresh() }, req)
  })
})

describe('core: recovery codes', () => {
  it('sign in once each, also when raced, and are replaced wholesale (SEC-MFA-06)', async () => {
    const { secret, recoveryCodes } = await enrolled()
    const [first = '', second = '', third = ''] = recoveryCodes
    const tokens = await core.auth.completeMfaLogin(
      { mfaToken: await ticket(), code: first.toUpperCase() },
      req,
    )
    const logins = await core.store.audit.query({
      userId: tokens.user.id,
      type: 'user.login_succeeded',
      limit: 1,
    })
    assert.equal(logins.items[0]?.data['method'], 'password+recovery_code')
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: await ticket(), code: first }, req)),
      'invalid_mfa_code',
    )

    const principal = await core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })
    const raced = await Promise.all(
      Array.from({ length: 4 }, () => outcome(core.auth.disableTotp(principal, second, req))),
    )
    assert.equal(raced.filter((r) => r === 'ok').length, 1, raced.join(','))
    assert.equal((await core.auth.findUser(email))?.mfaEnabled, false)
    assert.equal(
      await outcome(core.auth.completeMfaLogin({ mfaToken: 'x', code: third }, req)),
      'invalid_mfa_token',
    )

    // Enrol again, then regenerate: the old set dies at once.
    const again = await core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })
    const setup = await core.auth.setupTotp(again, req)
    core.clock.advance(30)
    const oldSet = await core.auth.enableTotp(again, codeAt(setup.secret, core.clock.now()), req)
    core.clock.advance(30)
    const on = await core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })
    const newSet = await core.auth.regenerateRecoveryCodes(
      on,
      codeAt(setup.secret, core.clock.now()),
      req,
    )
    assert.equal(newSet.length, 10)
    assert.equal((await core.auth.mfaStatus(on)).recoveryCodesLeft, 10)
    assert.equal(
      await outcome(
        core.auth.completeMfaLogin({ mfaToken: await ticket(), code: oldSet[0] ?? '' }, req),
      ),
      'invalid_mfa_code',
    )
    await core.auth.completeMfaLogin({ mfaToken: await ticket(), code: newSet[0] ?? '' }, req)
    assert.equal((await core.auth.mfaStatus(on)).recoveryCodesLeft, 9)
    assert.notEqual(secret, setup.secret)
  })
})

describe('core: turning 2FA off', () => {
  it('needs a current code, is audited, and then login needs no code', async () => {
    const { secret } = await enrolled()
    const tokens = await core.auth.completeMfaLogin(
      { mfaToken: await ticket(), code: codeAt(secret, core.clock.now()) },
      req,
    )
    const principal = await core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })
    core.clock.advance(30)
    assert.equal(await outcome(core.auth.disableTotp(principal, '000000', req)), 'invalid_mfa_code')
    assert.equal((await core.auth.findUser(email))?.mfaEnabled, true)
    await core.auth.disableTotp(principal, codeAt(secret, core.clock.now()), req)
    assert.equal((await core.auth.login({ email, password: strongPassword }, req)).kind, 'tokens')
    const events = await core.store.audit.query({
      userId: principal.user.id,
      type: 'mfa.disabled',
      limit: 5,
    })
    assert.equal(events.items[0]?.actorId, principal.user.id)
    const off = await core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })
    assert.equal(await outcome(core.auth.disableTotp(off, '123456', req)), 'mfa_not_enabled')
  })

  it('can be reset by an admin, which also ends the user’s sessions', async () => {
    const { secret } = await enrolled()
    const tokens = await core.auth.completeMfaLogin(
      { mfaToken: await ticket(), code: codeAt(secret, core.clock.now()) },
      req,
    )
    await core.auth.createUser(
      { email: 'root@example.com', password: strongPassword, role: 'admin' },
      req,
    )
    const adminTokens = tokensOf(
      await core.auth.login({ email: 'root@example.com', password: strongPassword }, req),
    )
    const admin = await core.auth.authenticate({ kind: 'bearer', token: adminTokens.accessToken })
    const user = await core.auth.updateUser(admin, tokens.user.id, { mfaEnabled: false }, req)
    assert.equal(user.mfaEnabled, false)
    assert.equal(await core.store.mfa.findTotp(user.id), null)
    assert.equal(
      await outcome(core.auth.authenticate({ kind: 'bearer', token: tokens.accessToken })),
      'session_revoked',
    )
    const events = await core.store.audit.query({ userId: user.id, type: 'mfa.disabled', limit: 5 })
    assert.equal(events.items[0]?.actorId, admin.user.id)
    assert.equal(events.items[0]?.data['method'], 'admin_reset')
    assert.equal((await core.auth.login({ email, password: strongPassword }, req)).kind, 'tokens')
  })
})
