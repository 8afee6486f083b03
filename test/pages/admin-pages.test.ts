import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'
import { PageClient } from './page-client.ts'

describe('pages: administration', () => {
  let t: TestApp
  let admin: PageClient
  let adminId: string
  before(async () => {
    t = await makeApp()
    const account = newAccount({ name: 'Admin Person' })
    adminId = (
      await t.auth.createUser({ ...account, role: 'admin' }, { ip: null, userAgent: null })
    ).id
    admin = new PageClient(t.app)
    await admin.signIn(account.email, account.password)
  })
  after(async () => {
    await t.close()
  })

  async function signedUpUser(
    name = 'Plain User',
  ): Promise<{ browser: PageClient; id: string; email: string }> {
    const browser = new PageClient(t.app)
    const account = newAccount({ name })
    await browser.signUp(account)
    const user = await t.auth.findUser(account.email)
    assert.ok(user)
    return { browser, id: user.id, email: account.email }
  }

  it('is 403 for a user who is not an admin, 303 to login for nobody', async () => {
    const { browser } = await signedUpUser()
    for (const url of ['/admin/users', '/admin/audit']) {
      const page = await browser.get(url)
      assert.equal(page.statusCode, 403)
      assert.match(page.body, /You do not have permission/)
      assert.equal((await new PageClient(t.app).get(url)).statusCode, 303)
    }
    const users = await browser.get('/')
    assert.doesNotMatch(users.body, /href="\/admin\/users"/)
  })

  it('disabling a user throws them out at their next click', async () => {
    const user = await signedUpUser('Soon Disabled')
    assert.equal((await user.browser.get('/profile')).statusCode, 200)
    const done = await admin.submit(
      `/admin/users?q=${encodeURIComponent(user.email)}`,
      `/admin/users/${user.id}/disable`,
      {
        return_to: `/admin/users?q=${encodeURIComponent(user.email)}`,
      },
    )
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, `/admin/users?q=${encodeURIComponent(user.email)}`)
    const list = await admin.get(String(done.headers.location))
    assert.match(list.body, /The account has been disabled and its sessions ended\./)
    assert.match(list.body, /badge danger">disabled/)

    const click = await user.browser.get('/profile')
    assert.equal(click.statusCode, 303)
    assert.equal(click.headers.location, '/login?next=%2Fprofile')
    assert.match(
      (await user.browser.get('/login?next=%2Fprofile')).body,
      /Your session has ended\./,
    )

    await admin.submit('/admin/users', `/admin/users/${user.id}/enable`, {})
    assert.equal((await t.auth.findUser(user.id))?.disabled, false)
  })

  it('changes a role and ends that user’s sessions; refuses unknown roles', async () => {
    const user = await signedUpUser()
    const done = await admin.submit('/admin/users', `/admin/users/${user.id}/role`, {
      role: 'admin',
    })
    assert.equal(done.statusCode, 303)
    assert.equal((await t.auth.findUser(user.id))?.role, 'admin')
    assert.equal((await user.browser.get('/secure')).statusCode, 303)
    const bad = await admin.submit('/admin/users', `/admin/users/${user.id}/role`, { role: 'root' })
    assert.equal(bad.statusCode, 400)
  })

  it('ends a user’s sessions on demand and says so for an unknown user', async () => {
    const user = await signedUpUser()
    await admin.submit('/admin/users', `/admin/users/${user.id}/revoke-sessions`, {})
    assert.equal((await user.browser.get('/secure')).statusCode, 303)
    const token =
      /name="_csrf" value="([^"]+)"/.exec((await admin.get('/admin/users')).body)?.[1] ?? ''
    const missing = await admin.post(
      '/admin/users/00000000-0000-0000-0000-000000000000/revoke-sessions',
      { _csrf: token },
    )
    assert.equal(missing.statusCode, 303)
    assert.match((await admin.get('/admin/users')).body, /That user no longer exists\./)
  })

  it('never returns an action to a page outside the user list', async () => {
    const user = await signedUpUser()
    const done = await admin.submit('/admin/users', `/admin/users/${user.id}/revoke-sessions`, {
      return_to: '//evil.com/admin/users',
    })
    assert.equal(done.headers.location, '/admin/users')
    const other = await admin.submit('/admin/users', `/admin/users/${user.id}/revoke-sessions`, {
      return_to: '/settings/security',
    })
    assert.equal(other.headers.location, '/admin/users')
  })

  it('searches and pages through users, and offers no buttons on the admin’s own row', async () => {
    for (let i = 0; i < 27; i++)
      await t.auth.createUser(
        { ...newAccount({ name: `Paged ${i}` }) },
        { ip: null, userAgent: null },
      )
    const first = await admin.get('/admin/users')
    assert.equal(first.statusCode, 200)
    const next = /href="(\/admin\/users\?cursor=[^"]+)" rel="next"/.exec(first.body)?.[1]
    assert.ok(next, 'a next-page link')
    const second = await admin.get(next.replaceAll('&amp;', '&'))
    assert.equal(second.statusCode, 200)
    assert.match(second.body, /First page/)
    const search = await admin.get('/admin/users?q=Admin+Person')
    assert.match(search.body, /This is you/)
    assert.doesNotMatch(search.body, new RegExp(`/admin/users/${adminId}/disable`))
  })

  it('filters and pages the audit log, and explains a bad filter', async () => {
    const user = await signedUpUser()
    // More events than one page holds (50).
    for (let i = 0; i < 50; i++)
      await t.auth.createUser(newAccount(), { ip: null, userAgent: null })
    const all = await admin.get('/admin/audit')
    assert.equal(all.statusCode, 200)
    assert.match(all.body, /user\.registered/)
    const mine = await admin.get(`/admin/audit?type=user.login_succeeded&user_id=${user.id}`)
    assert.equal(mine.statusCode, 200)
    assert.match(mine.body, /user\.login_succeeded/)
    assert.doesNotMatch(mine.body, /<span class="mono">user\.registered<\/span>/)
    const today = new Date().toISOString().slice(0, 10)
    const ranged = await admin.get(`/admin/audit?since=${today}&until=${today}`)
    assert.match(ranged.body, /user\.registered/)
    const bad = await admin.get('/admin/audit?type=nope&since=yesterday')
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Event type is not a known event type\./)
    assert.match(bad.body, /From \(UTC\) must be a date such as 2026-03-01\./)
    const older = /href="(\/admin\/audit\?cursor=[^"]+)" rel="next"/.exec(all.body)?.[1]
    assert.ok(older, 'more than one page of events')
    assert.equal((await admin.get(older.replaceAll('&amp;', '&'))).statusCode, 200)
  })
})
