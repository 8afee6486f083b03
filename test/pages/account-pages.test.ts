import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, newAccount, strongPassword, type TestApp } from '../helpers/app.ts'
import { csrfTokenIn, inputTag, PageClient, SESSION_COOKIE } from './page-client.ts'

describe('pages: profile and security settings', () => {
  let t: TestApp
  before(async () => {
    // Several sessions per user, so the list has another device to sign out.
    t = await makeApp({ SESSION_POLICY: 'multiple' })
  })
  after(async () => {
    await t.close()
  })

  it('edits the profile, custom fields included, and shows it', async () => {
    const browser = new PageClient(t.app)
    await browser.signUp(newAccount())
    const edit = await browser.get('/profile/edit')
    assert.match(edit.body, /<label for="f-profile-company"\s*>Company/)
    const saved = await browser.submit('/profile/edit', '/profile/edit', {
      name: 'Grace Hopper',
      username: 'grace_h',
      'profile.company': 'Navy',
      'profile.age': '85',
    })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, '/profile')
    const profile = await browser.get('/profile')
    assert.match(profile.body, /Your profile has been saved\./)
    for (const text of ['Grace Hopper', 'grace_h', 'Navy', '85']) {
      assert.match(profile.body, new RegExp(`<dd>\\s*${text}\\s*</dd>`), text)
    }
  })

  it('keeps the input and marks the fields that are wrong', async () => {
    const taken = newAccount()
    await new PageClient(t.app).signUp(taken)
    const browser = new PageClient(t.app)
    await browser.signUp(newAccount())
    const response = await browser.submit('/profile/edit', '/profile/edit', {
      name: 'Still Here',
      username: taken.username,
      'profile.age': 'old',
    })
    assert.ok(
      response.statusCode === 409 || response.statusCode === 422,
      String(response.statusCode),
    )
    assert.match(response.body, /value="Still Here"/)
    const bad = await browser.submit('/profile/edit', '/profile/edit', {
      name: 'Still Here',
      'profile.age': 'old',
    })
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Age must be a number\./)
    assert.match(inputTag(bad.body, 'f-profile-age'), / value="old" .*aria-invalid="true"/)
    const clash = await browser.submit('/profile/edit', '/profile/edit', {
      username: taken.username,
    })
    assert.equal(clash.statusCode, 409)
    assert.match(clash.body, /Username is already taken\./)
  })

  it('changes the password: wrong current password, weak new one, then success', async () => {
    const account = newAccount()
    const laptop = new PageClient(t.app)
    await laptop.signUp(account)
    const phone = new PageClient(t.app)
    await phone.signIn(account.email, account.password)

    const wrong = await laptop.submit('/settings/security', '/settings/security/password', {
      current_password: 'not-my-password-at-all',
      new_password: 'a-brand-new-passphrase-42',
    })
    assert.equal(wrong.statusCode, 401)
    assert.match(wrong.body, /Current password is not right\./)
    assert.ok(
      !wrong.body.includes('not-my-password-at-all') &&
        !wrong.body.includes('a-brand-new-passphrase-42'),
    )
    const weak = await laptop.submit('/settings/security', '/settings/security/password', {
      current_password: account.password,
      new_password: 'short',
    })
    assert.equal(weak.statusCode, 422)
    assert.match(weak.body, /New password must be at least 15 characters long\./)

    const done = await laptop.submit('/settings/security', '/settings/security/password', {
      current_password: account.password,
      new_password: 'a-brand-new-passphrase-42',
    })
    assert.equal(done.statusCode, 303)
    assert.match((await laptop.get('/settings/security')).body, /Your password has been changed\./)
    assert.equal(
      (await phone.get('/secure')).statusCode,
      303,
      'the other device was signed out (SEC-PWD-06)',
    )
    await new PageClient(t.app).signIn(account.email, 'a-brand-new-passphrase-42')
  })

  it('lists sessions and signs out another device, then this one', async () => {
    const account = newAccount({ password: strongPassword })
    const laptop = new PageClient(t.app)
    await laptop.signUp(account)
    const phone = new PageClient(t.app)
    await phone.signIn(account.email, account.password)
    const phoneSession = (phone.cookies.get(SESSION_COOKIE) ?? '').split('.')[0] ?? ''
    const laptopSession = (laptop.cookies.get(SESSION_COOKIE) ?? '').split('.')[0] ?? ''

    const page = await laptop.get('/settings/security')
    assert.equal(
      (page.body.match(/Sign out this device\s*<span class="visually-hidden">/g) ?? []).length,
      2,
    )
    assert.match(page.body, /this device<\/span>/)
    const out = await laptop.submit(
      '/settings/security',
      `/settings/security/sessions/${phoneSession}/revoke`,
      {},
    )
    assert.equal(out.headers.location, '/settings/security')
    assert.equal((await phone.get('/secure')).statusCode, 303)
    assert.match((await laptop.get('/settings/security')).body, /That device has been signed out\./)

    // Another user's session id is not ours to end.
    const stranger = new PageClient(t.app)
    await stranger.signUp(newAccount())
    const token = csrfTokenIn((await stranger.get('/settings/security')).body) ?? ''
    const refused = await stranger.post(`/settings/security/sessions/${laptopSession}/revoke`, {
      _csrf: token,
    })
    assert.equal(refused.statusCode, 404)
    assert.equal((await laptop.get('/secure')).statusCode, 200)

    const self = await laptop.submit(
      '/settings/security',
      `/settings/security/sessions/${laptopSession}/revoke`,
      {},
    )
    assert.equal(self.headers.location, '/login')
    assert.equal((await laptop.get('/secure')).statusCode, 303)
  })

  it('signs out everywhere', async () => {
    const account = newAccount()
    const laptop = new PageClient(t.app)
    await laptop.signUp(account)
    const phone = new PageClient(t.app)
    await phone.signIn(account.email, account.password)
    const done = await laptop.submit(
      '/settings/security',
      '/settings/security/sessions/revoke-all',
      {},
    )
    assert.equal(done.headers.location, '/login')
    assert.match((await laptop.get('/login')).body, /All your sessions have been ended/)
    assert.equal((await phone.get('/secure')).statusCode, 303)
  })
})
