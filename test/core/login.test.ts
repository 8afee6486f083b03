import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashSync as bcryptHash } from 'bcryptjs'
import { hash as argon2Hash } from '@node-rs/argon2'
import { AuthError } from '../../src/core/errors.ts'
import { tokensOf } from '../helpers/login-result.ts'
import { makeCore, req, strongPassword, type CoreHarness } from '../helpers/core.ts'

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<AuthError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected AuthError, got ${String(error)}`)
    assert.equal(error.code, code)
    return error
  }
  assert.fail(`expected ${code}`)
}

describe('core: registration and login', () => {
  let core: CoreHarness
  before(async () => {
    core = await makeCore()
  })
  after(async () => core.close())

  it('registers with a normalised email and refuses duplicates case-insensitively', async () => {
    const user = await core.auth.register(
      { email: '  Grace.Hopper@Example.COM ', password: strongPassword, username: 'Amazing_Grace' },
      req,
    )
    assert.equal(user.email, 'grace.hopper@example.com')
    assert.equal(user.username, 'Amazing_Grace')
    await rejectsWith(
      core.auth.register({ email: 'GRACE.hopper@example.com', password: strongPassword }, req),
      'email_taken',
    )
    await rejectsWith(
      core.auth.register(
        { email: 'other@example.com', password: strongPassword, username: 'amazing_grace' },
        req,
      ),
      'username_taken',
    )
  })

  it('collects every field problem at once', async () => {
    const error = await rejectsWith(
      core.auth.register(
        { email: 'not-an-email', password: 'short', profile: { company: 3, unknown: 'x' } },
        req,
      ),
      'validation_failed',
    )
    assert.deepEqual(error.fieldErrors?.map((e) => e.path).sort(), [
      '/email',
      '/password',
      '/profile/company',
      '/profile/unknown',
    ])
  })

  it('logs in by email or username and records the event', async () => {
    const byEmail = await core.auth.login(
      { email: 'GRACE.HOPPER@example.com', password: strongPassword },
      req,
    )
    assert.equal(tokensOf(byEmail).user.email, 'grace.hopper@example.com')
    const byName = await core.auth.login(
      { username: 'AMAZING_GRACE', password: strongPassword },
      req,
    )
    assert.equal(tokensOf(byName).user.id, tokensOf(byEmail).user.id)
    const events = await core.store.audit.query({
      userId: tokensOf(byEmail).user.id,
      type: 'user.login_succeeded',
      limit: 10,
    })
    assert.equal(events.items.length, 2)
  })

  it('answers unknown user and wrong password alike, spending one argon2 verification each', async () => {
    const before = { ...core.hasher.calls }
    const unknown = await rejectsWith(
      core.auth.login({ email: 'nobody@example.com', password: strongPassword }, req),
      'invalid_credentials',
    )
    const wrong = await rejectsWith(
      core.auth.login(
        { email: 'grace.hopper@example.com', password: 'wrong-password-entirely' },
        req,
      ),
      'invalid_credentials',
    )
    assert.equal(unknown.detail, wrong.detail)
    assert.equal(core.hasher.calls.dummy - before.dummy, 1)
    assert.equal(core.hasher.calls.verify - before.verify, 1)
  })

  it('tells account_disabled only to a caller with the right password', async () => {
    const user = await core.auth.register(
      { email: 'disabled@example.com', password: strongPassword },
      req,
    )
    await core.store.users.update(user.id, { disabled: true }, core.clock.now())
    await rejectsWith(
      core.auth.login({ email: 'disabled@example.com', password: 'wrong-password-entirely' }, req),
      'invalid_credentials',
    )
    await rejectsWith(
      core.auth.login({ email: 'disabled@example.com', password: strongPassword }, req),
      'account_disabled',
    )
  })

  it('throttles an account by identifier, known or not, and refuses even the right password meanwhile', async () => {
    await core.auth.register({ email: 'target@example.com', password: strongPassword }, req)
    for (let i = 0; i < 6; i++) {
      await rejectsWith(
        core.auth.login({ email: 'target@example.com', password: `wrong-guess-number-${i}` }, req),
        'invalid_credentials',
      )
    }
    const limited = await rejectsWith(
      core.auth.login({ email: 'target@example.com', password: strongPassword }, req),
      'rate_limited',
    )
    assert.ok((limited.retryAfterSeconds ?? 0) >= 1)
    // Unknown identifiers are throttled the same way, so the lockout reveals nothing.
    for (let i = 0; i < 6; i++) {
      await rejectsWith(
        core.auth.login({ email: 'ghost@example.com', password: `wrong-guess-number-${i}` }, req),
        'invalid_credentials',
      )
    }
    await rejectsWith(
      core.auth.login({ email: 'ghost@example.com', password: strongPassword }, req),
      'rate_limited',
    )
    // The delay passes: never a permanent lock (SEC-RATE-04).
    core.clock.advance(3600)
    const ok = await core.auth.login({ email: 'target@example.com', password: strongPassword }, req)
    assert.equal(ok.kind, 'tokens')
  })

  it('runs exactly the allowed number of password checks under 100 parallel wrong guesses', async () => {
    await core.auth.register({ email: 'storm@example.com', password: strongPassword }, req)
    const before = core.hasher.calls.verify
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        core.auth.login({ email: 'storm@example.com', password: `parallel-wrong-${i}-guess` }, req),
      ),
    )
    const codes = results.map((r) =>
      r.status === 'rejected' && r.reason instanceof AuthError ? r.reason.code : 'other',
    )
    assert.equal(codes.filter((c) => c === 'other').length, 0)
    // freeAttempts (5) plus the one attempt that earns the first delay.
    assert.equal(core.hasher.calls.verify - before, 6)
    assert.equal(codes.filter((c) => c === 'rate_limited').length, 94)
  })

  it('verifies imported bcrypt and argon2i hashes and upgrades them to argon2id at the next login', async () => {
    const bcryptUser = await core.auth.importUser(
      { email: 'bcrypt@example.com', passwordHash: bcryptHash(strongPassword, 10) },
      req,
    )
    const argonUser = await core.auth.importUser(
      {
        email: 'argon@example.com',
        passwordHash: await argon2Hash(strongPassword, {
          algorithm: 1,
          memoryCost: 4096,
          timeCost: 3,
        }),
      },
      req,
    )
    for (const user of [bcryptUser, argonUser]) {
      await core.auth.login({ email: user.email, password: strongPassword }, req)
      const stored = await core.store.users.findByIdWithPassword(user.id)
      assert.match(stored?.passwordHash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
      await core.auth.login({ email: user.email, password: strongPassword }, req)
    }
    await rejectsWith(
      core.auth.importUser({ email: 'junk@example.com', passwordHash: 'md5:abc' }, req),
      'validation_failed',
    )
  })
})
