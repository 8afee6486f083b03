// SEC-HDR-01/02 on the pages: the strict CSP and the other headers on pages, redirects, error
// pages and the stylesheet; HSTS only when PUBLIC_URL is https.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { PageClient } from './page-client.ts'

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

describe('pages: security headers', () => {
  let t: TestApp
  let https: TestApp
  before(async () => {
    t = await makeApp()
    https = await makeApp({ PUBLIC_URL: 'https://auth.example.com' })
  })
  after(async () => {
    await t.close()
    await https.close()
  })

  it('sends the strict CSP and the other headers on pages, redirects and error pages', async () => {
    const browser = new PageClient(t.app)
    const responses = [
      await browser.get('/'),
      await browser.get('/login'),
      await browser.get('/register'),
      await browser.get('/secure'),
      await browser.post('/login', {}),
      await browser.get('/admin/users'),
    ]
    for (const response of responses) {
      const where = `${response.statusCode} ${String(response.headers.location ?? '')}`
      assert.equal(response.headers['content-security-policy'], CSP, where)
      assert.equal(response.headers['x-content-type-options'], 'nosniff', where)
      // Not no-referrer: under it Chromium sends `Origin: null` on our own form posts.
      assert.equal(response.headers['referrer-policy'], 'same-origin', where)
      assert.equal(response.headers['x-frame-options'], 'DENY', where)
      assert.equal(response.headers['cache-control'], 'no-store', where)
      assert.equal(response.headers['strict-transport-security'], undefined, where)
    }
  })

  it('has no inline script or style anywhere in a page', async () => {
    const page = await new PageClient(t.app).get('/register')
    assert.doesNotMatch(page.body, /<script/i)
    assert.doesNotMatch(page.body, /\sstyle=/i)
    assert.doesNotMatch(page.body, /<style/i)
    assert.doesNotMatch(page.body, /\son[a-z]+=/i)
  })

  it('sends HSTS when PUBLIC_URL is https', async () => {
    const response = await https.app.inject({ url: '/login' })
    assert.equal(
      response.headers['strict-transport-security'],
      'max-age=31536000; includeSubDomains',
    )
    assert.equal(response.headers['content-security-policy'], CSP)
  })

  it('serves the stylesheet with a long cache under a content-hashed URL', async () => {
    const page = await new PageClient(t.app).get('/login')
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1] ?? ''
    assert.match(href, /^\/assets\/latchkey\.css\?v=[\w-]{12}$/)
    const css = await t.app.inject({ url: href })
    assert.equal(css.statusCode, 200)
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8')
    assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(css.body, /prefers-color-scheme: dark/)
  })

  it('leaves the JSON API its own CSP', async () => {
    const response = await t.app.inject({ url: '/auth/me' })
    assert.notEqual(response.headers['content-security-policy'], CSP)
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
  })
})
