import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { newAccount, PUBLIC_URL } from '../helpers/app.ts'
import { makeMailApp, type MailApp } from '../integration/mail-app.ts'
import { linkToken, startSmtpSink } from '../integration/smtp-sink.ts'
import { csrfTokenIn, PageClient, setCookieLine } from './page-client.ts'

// The mail flows in the browser (issue 3 with issue 5): /forgot-password, /reset-password,
// /verify-email and the dev outbox at /dev/mail, where the links are read from.

describe('recovery pages with the dev outbox', () => {
  let t: MailApp
  before(async () => {
    t = await makeMailApp({ env: { PUBLIC_URL } })
  })
  after(async () => {
    await t.close()
  })

  /** The token of the newest link to `path` in /dev/mail, as a person would click it. */
  async function linkFromOutbox(client: PageClient, to: string, path: string): Promise<string> {
    await t.mail.delivery.idle()
    const page = await client.get('/dev/mail')
    assert.equal(page.statusCode, 200)
    const article = page.body
      .split('<article')
      .find((block) => block.includes(to) && block.includes(path))
    assert.ok(article !== undefined, `a mail to ${to} with ${path}`)
    assert.match(article, new RegExp(`<a\\s+href="${PUBLIC_URL}${path}\\?token=`))
    return linkToken(article, PUBLIC_URL, path)
  }

  it('shows the dev outbox at /dev/mail, escaped, newest first', async () => {
    const client = new PageClient(t.app)
    const account = newAccount({ email: `outbox-${Date.now()}@example.com` })
    await client.signUp(account)
    const token = await linkFromOutbox(client, account.email, '/verify-email')
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    const page = await client.get('/dev/mail')
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.equal(page.headers['cache-control'], 'no-store')
  })

  it('walks forgot → mail → reset in the browser, keeping the token out of URLs and pages', async () => {
    const client = new PageClient(t.app)
    const account = newAccount()
    await client.signUp(account)

    const known = await client.submit('/forgot-password', '/forgot-password', {
      email: account.email,
    })
    const unknown = await client.submit('/forgot-password', '/forgot-password', {
      email: 'nobody@example.com',
    })
    for (const response of [known, unknown]) {
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, '/login')
      assert.match(setCookieLine(response, '__Host-latchkey_flash') ?? '', /reset-link-sent/)
    }
    await new Promise((resolve) => setTimeout(resolve, 50)) // the background lookup
    const token = await linkFromOutbox(client, account.email, '/reset-password')

    const opened = await client.get(`/reset-password?token=${token}`)
    assert.equal(opened.statusCode, 303)
    assert.equal(opened.headers.location, '/reset-password')
    assert.equal(opened.headers['referrer-policy'], 'no-referrer')
    const cookie = setCookieLine(opened, '__Host-latchkey_reset') ?? ''
    assert.match(cookie, /HttpOnly/i)
    assert.match(cookie, /Secure/i)
    assert.match(cookie, /SameSite=Lax/i)
    assert.match(cookie, /Max-Age=1800/i)

    const form = await client.get('/reset-password')
    assert.equal(form.statusCode, 200)
    assert.ok(!form.body.includes(token), 'the token is not in the page')
    assert.ok(
      !/(src|href)="https?:\/\/(?!localhost:3000)/.test(form.body),
      'no third-party resources',
    )
    assert.match(String(form.headers['content-security-policy']), /default-src 'none'/)
    // The form page itself must keep same-origin: under no-referrer browsers post `Origin: null`.
    assert.equal(form.headers['referrer-policy'], 'same-origin')

    const weak = await client.post('/reset-password', {
      _csrf: csrfTokenIn(form.body, '/reset-password') ?? '',
      new_password: 'short',
    })
    assert.equal(weak.statusCode, 422)
    assert.match(weak.body, /New password must be at least/)

    const newPassword = 'pages-heliotrope-sandstone-31'
    const done = await client.submit('/reset-password', '/reset-password', {
      new_password: newPassword,
    })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, '/login')
    assert.ok(!client.cookies.has('__Host-latchkey_reset'), 'the cookie is dropped')
    // SEC-RESET-04: the browser's own session ended too; it is sent to sign in again.
    const secure = await client.get('/secure')
    assert.equal(secure.statusCode, 303)
    assert.match(String(secure.headers.location), /^\/login/)

    const again = await client.get(`/reset-password?token=${token}`)
    assert.equal(again.statusCode, 303)
    const spent = await client.submit('/reset-password', '/reset-password', {
      new_password: 'another-phrase-entirely-42',
    })
    assert.equal(spent.statusCode, 400)
    assert.match(spent.body, /already been used/)
    assert.match(spent.body, /href="\/forgot-password"/)

    const fresh = new PageClient(t.app)
    await fresh.signIn(account.email, newPassword)
    assert.equal((await fresh.get('/secure')).statusCode, 200)
  })

  it('confirms an address only by the POST behind the button, never on GET', async () => {
    const client = new PageClient(t.app)
    const account = newAccount()
    await client.signUp(account)
    const token = await linkFromOutbox(client, account.email, '/verify-email')

    const opened = await client.get(`/verify-email?token=${token}`)
    assert.equal(opened.statusCode, 303)
    assert.equal(opened.headers.location, '/verify-email')
    const shown = await client.get('/verify-email')
    assert.equal(shown.statusCode, 200)
    assert.equal(opened.headers['referrer-policy'], 'no-referrer')
    assert.equal(shown.headers['referrer-policy'], 'same-origin')
    assert.ok(!shown.body.includes(token))
    assert.match(shown.body, /Confirm email address/)
    const user = await t.auth.findUser(account.email)
    assert.equal(user?.emailVerified, false, 'GET changed nothing')

    const confirmed = await client.submit('/verify-email', '/verify-email', {})
    assert.equal(confirmed.statusCode, 303)
    assert.equal(confirmed.headers.location, '/profile')
    assert.equal((await t.auth.findUser(account.email))?.emailVerified, true)
  })

  it('offers a new verification link to a signed-in, unverified user', async () => {
    const client = new PageClient(t.app)
    const account = newAccount()
    await client.signUp(account)
    const page = await client.get('/verify-email')
    assert.match(page.body, /Send a new link/)
    const sent = await client.submit('/verify-email', '/verify-email/resend', {})
    assert.equal(sent.statusCode, 303)
    await t.mail.delivery.idle()
    const mails =
      t.mail.devOutbox?.list().filter((entry) => entry.message.to === account.email) ?? []
    assert.equal(mails.length, 2)
  })

  it('links to /forgot-password from the sign-in page', async () => {
    const page = await new PageClient(t.app).get('/login')
    assert.match(page.body, /href="\/forgot-password"/)
  })
})

describe('/dev/mail with SMTP_URL set', () => {
  it('does not exist', async () => {
    const sink = await startSmtpSink()
    const t = await makeMailApp({ smtpUrl: sink.url })
    try {
      const response = await t.app.inject({ method: 'GET', url: '/dev/mail' })
      assert.equal(response.statusCode, 404)
      assert.equal(t.mail.devOutbox, null)
    } finally {
      await t.close()
      await sink.close()
    }
  })
})
