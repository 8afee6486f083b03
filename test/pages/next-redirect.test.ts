// SEC-REDIR-01: `next` leads only to a path on this site.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { safeNextPath } from '../../src/pages/next-path.ts'
import { makeApp, newAccount, type TestApp } from '../helpers/app.ts'
import { PageClient } from './page-client.ts'

const HOSTILE = [
  '//evil.com',
  '/\\evil.com',
  '\\\\evil.com',
  'https://evil.com',
  'http:evil.com',
  'evil.com',
  'javascript:alert(1)',
  '/\t/evil.com',
  '/\n/evil.com',
  '/..//evil.com',
  '',
  '/a\u0000b',
  ' /secure',
]

describe('pages: next redirects', () => {
  it('accepts same-site paths as they are', () => {
    for (const path of [
      '/',
      '/secure',
      '/profile/edit?x=1#top',
      '/admin/users?q=%2F%2Fevil.com',
      '/%2F%2Fevil.com',
    ]) {
      assert.equal(safeNextPath(path), path)
    }
  })

  it('turns everything else into /', () => {
    for (const path of HOSTILE) assert.equal(safeNextPath(path), '/', JSON.stringify(path))
    assert.equal(safeNextPath(undefined), '/')
    assert.equal(safeNextPath(['/a', '/b']), '/')
    assert.equal(safeNextPath(`/${'a'.repeat(5000)}`), '/')
  })

  describe('through the login form', () => {
    let t: TestApp
    const account = newAccount()
    before(async () => {
      t = await makeApp()
      await new PageClient(t.app).signUp(account)
    })
    after(async () => {
      await t.close()
    })

    for (const next of ['//evil.com', '/\\evil.com', 'https://evil.com']) {
      it(`logs in and goes to / for next=${next}`, async () => {
        const browser = new PageClient(t.app)
        const page = await browser.get(`/login?next=${encodeURIComponent(next)}`)
        assert.match(page.body, /name="next" value="\/"/)
        const response = await browser.submit('/login', '/login', {
          identifier: account.email,
          password: account.password,
          next,
        })
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/')
      })
    }

    it('does not redirect a signed-in visitor off-site from /login either', async () => {
      const browser = new PageClient(t.app)
      await browser.signIn(account.email, account.password)
      for (const next of ['//evil.com', '/\\evil.com', 'https://evil.com']) {
        const response = await browser.get(`/login?next=${encodeURIComponent(next)}`)
        assert.equal(response.headers.location, '/')
      }
    })
  })
})
