// SEC-INPUT-05: whatever a user types comes back as text, never as markup.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { escapeHTML, html } from '../../src/views/html.ts'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'
import { PageClient } from './page-client.ts'

const SCRIPT = '<script>alert(1)</script>'

describe('pages: escaping', () => {
  it('html`` escapes every interpolation; only html.raw and nested html pass through', () => {
    const evil = `"><img src=x onerror=alert(1)>'&`
    assert.equal(
      String(html`<p title="${evil}">${evil}</p>`),
      `<p title="${escapeHTML(evil)}">${escapeHTML(evil)}</p>`,
    )
    assert.equal(escapeHTML(evil), '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;')
    assert.equal(
      String(html`<b>${html`<i>${SCRIPT}</i>`}</b>`),
      '<b><i>&lt;script&gt;alert(1)&lt;/script&gt;</i></b>',
    )
    assert.equal(
      String(html`${[SCRIPT, 1, null, undefined, false]}`),
      '&lt;script&gt;alert(1)&lt;/script&gt;1',
    )
    assert.equal(String(html`${html.raw('<hr>')}`), '<hr>')
  })

  describe('user data on the pages', () => {
    let t: TestApp
    before(async () => {
      t = await makeApp()
    })
    after(async () => {
      await t.close()
    })

    it('shows a name of <script>alert(1)</script> as text on every page that shows it', async () => {
      const browser = new PageClient(t.app)
      const account = newAccount({ name: SCRIPT })
      const registered = await browser.submit('/register', '/register', {
        email: account.email,
        password: account.password,
        name: SCRIPT,
      })
      assert.equal(registered.statusCode, 303)
      await browser.signIn(account.email, account.password)
      for (const url of ['/profile', '/profile/edit', '/', '/secure']) {
        const page = await browser.get(url)
        assert.equal(page.statusCode, 200, url)
        assert.ok(!page.body.includes(SCRIPT), `${url} holds the raw script tag`)
        assert.ok(
          page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'),
          `${url} does not show the name`,
        )
      }
      const admin = new PageClient(t.app)
      const adminAccount = newAccount()
      await t.auth.createUser({ ...adminAccount, role: 'admin' }, { ip: null, userAgent: null })
      await admin.signIn(adminAccount.email, adminAccount.password)
      const list = await admin.get(`/admin/users?q=${encodeURIComponent('<script>')}`)
      assert.ok(!list.body.includes(SCRIPT))
      assert.ok(list.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
      assert.ok(
        list.body.includes('value="&lt;script&gt;"'),
        'the search box keeps the query, escaped',
      )
      const audit = await admin.get(
        `/admin/audit?user_id=${encodeURIComponent('"><script>x</script>')}`,
      )
      assert.ok(!audit.body.includes('<script>x'))
    })

    it('keeps a hostile value escaped when it comes back on a form with errors', async () => {
      const browser = new PageClient(t.app)
      const evil = `"><script>alert(2)</script>`
      const response = await browser.submit('/register', '/register', {
        email: evil,
        password: 'x',
      })
      assert.equal(response.statusCode, 422)
      assert.ok(!response.body.includes('<script>alert(2)'))
      assert.ok(response.body.includes('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"'))
    })

    it('shows only fixed flash texts, whatever the flash cookie says', async () => {
      const browser = new PageClient(t.app)
      browser.cookies.set('__Host-latchkey_flash', encodeURIComponent(SCRIPT))
      const page = await browser.get('/login')
      assert.ok(!page.body.includes('alert(1)'))
      assert.doesNotMatch(page.body, /class="flash/)
      browser.cookies.set('__Host-latchkey_flash', 'signed-out')
      assert.match((await browser.get('/login')).body, /You have been signed out\./)
      assert.doesNotMatch((await browser.get('/login')).body, /class="flash/, 'a flash shows once')
    })
  })
})
