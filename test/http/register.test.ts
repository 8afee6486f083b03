import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, makeApp, newAccount, register, type TestApp } from '../helpers/app.ts'

const USER_KEYS = [
  'created_at',
  'disabled',
  'email',
  'email_verified',
  'id',
  'mfa_enabled',
  'name',
  'profile',
  'role',
  'updated_at',
  'username',
]

describe('POST /auth/register', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp()
  })
  after(async () => {
    await t.close()
  })

  it('answers 201 with the user and nothing secret', async () => {
    const account = newAccount({ name: 'Ada Lovelace', profile: { company: 'Analytical' } })
    const response = await register(t.app, {
      ...account,
      email: `  ${account.email.toUpperCase()} `,
    })
    assert.equal(response.statusCode, 201)
    assert.match(String(response.headers['content-type']), /^application\/json/)
    const user = json(response)
    assert.deepEqual(Object.keys(user).sort(), USER_KEYS)
    assert.equal(user['email'], account.email, 'stored trimmed and lower-cased')
    assert.equal(user['username'], account.username)
    assert.equal(user['name'], 'Ada Lovelace')
    assert.equal(user['role'], 'user')
    assert.equal(user['email_verified'], false)
    assert.equal(user['disabled'], false)
    assert.deepEqual(user['profile'], { company: 'Analytical' })
    assert.ok(!Number.isNaN(Date.parse(String(user['created_at']))))
    assert.doesNotMatch(response.body, /argon2|password|violet-harbour/i)
    assert.equal(response.headers['set-cookie'], undefined, 'registration does not log in')
  })

  it('answers 409 email_taken for the same email in another case', async () => {
    const account = newAccount()
    assert.equal((await register(t.app, account)).statusCode, 201)
    const again = await register(t.app, newAccount({ email: account.email.toUpperCase() }))
    assert.equal(again.statusCode, 409)
    assert.match(String(again.headers['content-type']), /^application\/problem\+json/)
    assert.equal(json(again)['code'], 'email_taken')
    assert.equal(json(again)['status'], 409)
  })

  it('answers 409 username_taken for the same username in another case', async () => {
    const account = newAccount({ username: 'Grace_Hopper' })
    assert.equal((await register(t.app, account)).statusCode, 201)
    const again = await register(t.app, newAccount({ username: 'grace_HOPPER' }))
    assert.equal(again.statusCode, 409)
    assert.equal(json(again)['code'], 'username_taken')
  })

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown field role (mass assignment)', { role: 'admin' }, '/role'],
    ['an unknown field email_verified', { email_verified: true }, '/email_verified'],
    ['a common password', { password: 'correcthorsebatterystaple' }, '/password'],
    ['a too short password', { password: 'short-pass' }, '/password'],
    ['a password over the maximum', { password: 'x'.repeat(40) + 'y'.repeat(100) }, '/password'],
    ['a malformed email', { email: 'not-an-email' }, '/email'],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@example.com` }, '/email'],
    ['an array for the email', { email: ['a@example.com'] }, '/email'],
    ['an object for the password', { password: { $gt: '' } }, '/password'],
    ['a boolean for the username', { username: true }, '/username'],
    ['a number for the email', { email: 42 }, '/email'],
    ['an unknown profile field', { profile: { shoe_size: 44 } }, '/profile/shoe_size'],
    ['a nested profile value', { profile: { company: { name: 'x' } } }, '/profile/company'],
    ['a missing password', { password: undefined }, '/password'],
  ]
  for (const [what, change, path] of invalid) {
    it(`answers 422 validation_failed for ${what}`, async () => {
      const response = await register(t.app, newAccount(change))
      assert.equal(response.statusCode, 422, response.body)
      const problem = json(response)
      assert.equal(problem['code'], 'validation_failed')
      const errors = problem['errors'] as { path: string; message: string }[]
      assert.ok(
        errors.some((error) => error.path === path),
        `expected an error at ${path}: ${response.body}`,
      )
    })
  }

  it('accepts a 64-character password (no truncation, SEC-PWD-02)', async () => {
    const account = newAccount({ password: 'river-stone-'.repeat(5) + 'abcd' })
    assert.equal((await register(t.app, account)).statusCode, 201)
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: account.email, password: account.password.slice(0, 63) },
    })
    assert.equal(login.statusCode, 401, 'a truncated password must not work')
  })

  it('answers 400 invalid_request for malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@example.com", ',
    })
    assert.equal(response.statusCode, 400)
    assert.equal(json(response)['code'], 'invalid_request')
  })

  it('answers 400 for a __proto__ key (prototype poisoning)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'content-type': 'application/json' },
      payload:
        '{"email":"p@example.com","password":"violet-harbour-lantern","__proto__":{"role":"admin"}}',
    })
    assert.equal(response.statusCode, 400)
  })

  it('answers 413 payload_too_large for a huge body', async () => {
    const response = await register(t.app, newAccount({ name: 'n'.repeat(200_000) }))
    assert.equal(response.statusCode, 413)
    assert.equal(json(response)['code'], 'payload_too_large')
  })

  for (const contentType of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ]) {
    it(`answers 400 unsupported_media_type for ${contentType}`, async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/register',
        headers: { 'content-type': contentType },
        payload: 'email=a%40example.com&password=violet-harbour-lantern',
      })
      assert.equal(response.statusCode, 400)
      assert.equal(json(response)['code'], 'unsupported_media_type')
    })
  }

  it('answers 422 for a JSON body that is not an object', async () => {
    for (const payload of ['[]', '"text"', 'null', '42']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/register',
        headers: { 'content-type': 'application/json' },
        payload,
      })
      assert.equal(response.statusCode, 422, payload)
    }
  })
})
