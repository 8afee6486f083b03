// The whole journey in real Chromium against the listening server (issue 5): register, verify
// the address from the dev outbox, log in, /secure, edit the profile, turn on 2FA from the secret
// shown beside the QR code, log out, log in again with a code; an admin disables the user, whose
// open page is then thrown out at the next click. Every page gets a screenshot and an axe-core
// check.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { newAccount } from '../helpers/app.ts'
import {
  chromiumSkipReason,
  launchChromium,
  startLiveServer,
  type LiveServer,
  checkPage as check,
} from './harness.ts'

const skip = chromiumSkipReason()

function path(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

describe('browser: the full journey', { skip }, () => {
  let live: LiveServer
  let browser: Browser
  let userContext: BrowserContext
  let user: Page
  const account = newAccount({ name: 'Ada Lovelace' })
  const adminAccount = newAccount({ name: 'Admin Person' })
  let totp: TOTP

  before(async () => {
    live = await startLiveServer()
    await live.server.auth.createUser(
      { ...adminAccount, role: 'admin' },
      { ip: null, userAgent: null },
    )
    browser = await launchChromium()
    userContext = await browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: 1024, height: 768 },
    })
    user = await userContext.newPage()
  })
  after(async () => {
    await browser?.close()
    await live?.server.cleanup()
  })

  it('registers, with errors shown on the form first', async () => {
    await user.goto('/')
    await check(user, '01-home-anonymous')
    await user.getByRole('link', { name: 'Create an account' }).click()
    await user.getByLabel('Email').fill(account.email)
    await user.getByLabel('Password').fill('too-short')
    await user.getByRole('button', { name: 'Create account' }).click()
    await user.getByRole('alert').waitFor()
    assert.equal(await user.getByLabel('Email').inputValue(), account.email)
    assert.equal(await user.getByLabel('Password').inputValue(), '')
    await check(user, '02-register-errors')
    await user.getByLabel('Username (optional)', { exact: true }).fill(account.username)
    await user.getByLabel('Name (optional)', { exact: true }).fill('Ada Lovelace')
    await user.getByLabel('Password').fill(account.password)
    await user.getByRole('button', { name: 'Create account' }).click()
    await user.waitForURL('**/login')
    await check(user, '03-login-after-register')
  })

  it('verifies the address from the link in the dev outbox', async () => {
    // Delivery runs in the background: the mail reaches the outbox a moment after sign-up.
    let link: string | null = null
    for (let attempt = 0; attempt < 50 && link === null; attempt++) {
      await user.goto('/dev/mail')
      const anchor = user.locator('a[href*="/verify-email?token="]').first()
      if ((await anchor.count()) > 0) link = await anchor.getAttribute('href')
      else await user.waitForTimeout(100)
    }
    assert.ok(link, 'the verification mail reached the dev outbox')
    await check(user, '03a-dev-mail')
    await user.goto(link)
    // GET shows a button; only the POST verifies, and the token has left the address bar.
    assert.doesNotMatch(user.url(), /token=/)
    const before = await live.server.auth.findUser(account.email)
    assert.equal(before?.emailVerified, false)
    await check(user, '03b-verify-email')
    await user.getByRole('button', { name: 'Confirm email address' }).click()
    await user.waitForLoadState()
    const after = await live.server.auth.findUser(account.email)
    assert.equal(after?.emailVerified, true)
  })

  it('sends /secure to the login page, logs in, and comes back to /secure', async () => {
    await user.goto('/secure')
    assert.equal(path(user), '/login?next=%2Fsecure')
    await user.getByLabel('Email or username').fill(account.email)
    await user.getByLabel('Password').fill(account.password)
    await user.getByRole('button', { name: 'Sign in' }).click()
    await user.waitForURL('**/secure')
    await user.getByText('Only signed-in people can see this page, Ada Lovelace.').waitFor()
    await check(user, '04-secure')
    // Chromium keeps a Secure, __Host- cookie from http://127.0.0.1 (a potentially trustworthy origin).
    const cookie = (await userContext.cookies()).find((c) => c.name === '__Host-latchkey_session')
    assert.ok(cookie, 'the session cookie was stored')
    assert.equal(cookie.secure, true)
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
  })

  it('edits the profile', async () => {
    await user.getByRole('link', { name: 'Profile' }).click()
    await check(user, '05-profile')
    await user.getByRole('link', { name: 'Edit profile' }).click()
    await user.getByLabel('Username (optional)', { exact: true }).fill('no spaces allowed')
    await user.getByRole('button', { name: 'Save profile' }).click()
    await user.getByRole('alert').waitFor()
    await check(user, '06-profile-edit-error')
    await user.getByLabel('Username (optional)', { exact: true }).fill('ada_l')
    await user.getByLabel('Name (optional)', { exact: true }).fill('Ada King')
    await user.getByLabel('Company (optional)', { exact: true }).fill('Analytical Engines')
    await user.getByRole('button', { name: 'Save profile' }).click()
    await user.waitForURL('**/profile')
    await user.getByText('Your profile has been saved.').waitFor()
    await user.getByText('Analytical Engines').waitFor()
    await check(user, '07-profile-saved')
  })

  it('shows the security settings with this session', async () => {
    await user.getByRole('link', { name: 'Security' }).click()
    await user.getByText('this device', { exact: true }).waitFor()
    await check(user, '08-security-settings')
  })

  it('turns on two-factor authentication from the secret shown with the QR code', async () => {
    await user.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    await user.waitForURL('**/settings/security/2fa')
    const secret = (await user.locator('code.mono').first().innerText()).replace(/\s+/g, '')
    assert.match(secret, /^[A-Z2-7]+=*$/)
    await user.locator('img[src^="data:image/svg+xml"], svg').first().waitFor()
    await check(user, '08a-2fa-setup')
    totp = new TOTP({ secret: Secret.fromBase32(secret) })
    await user.getByLabel('Code from the app').fill(totp.generate())
    await user.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
    const codes = user.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')
    await codes.first().waitFor()
    assert.equal(await codes.count(), 10)
    await check(user, '08b-recovery-codes')
    await user.getByRole('link', { name: 'I have saved my recovery codes' }).click()
    await user.waitForURL('**/settings/security')
  })

  it('logs out with the POST button and logs in again', async () => {
    await user.getByRole('button', { name: 'Sign out' }).first().click()
    await user.waitForURL('**/login')
    await user.getByText('You have been signed out.').waitFor()
    await check(user, '09-signed-out')
    await user.goto('/secure')
    assert.match(path(user), /^\/login/)
    await user.getByLabel('Email or username').fill('ada_l')
    await user.getByLabel('Password').fill(account.password)
    await user.getByRole('button', { name: 'Sign in' }).click()
    // The password alone grants nothing: the second step asks for a code.
    await user.getByLabel('Verification code').waitFor()
    await check(user, '09a-login-code')
    // The code of the next time step (RFC 6238 window of one): the current one was spent on
    // enabling, and a code is never accepted twice.
    await user
      .getByLabel('Verification code')
      .fill(totp.generate({ timestamp: Date.now() + 30_000 }))
    await user.getByRole('button', { name: 'Verify' }).click()
    await user.waitForURL('**/secure')
    await user.goto('/profile')
  })

  it('an admin disables the user, whose open page is thrown out at the next click', async () => {
    const adminContext = await browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: 1280, height: 900 },
    })
    const admin = await adminContext.newPage()
    await admin.goto('/login')
    await admin.getByLabel('Email or username').fill(adminAccount.email)
    await admin.getByLabel('Password').fill(adminAccount.password)
    await admin.getByRole('button', { name: 'Sign in' }).click()
    await admin.waitForURL('**/')
    await check(admin, '10-home-admin')
    await admin.getByRole('link', { name: 'Users', exact: true }).click()
    await check(admin, '11-admin-users')
    await admin.getByLabel('Search by email, username or name').fill('ada')
    await admin.getByRole('button', { name: 'Search' }).click()
    await admin.getByRole('button', { name: `Disable ${account.email}` }).click()
    await admin.getByText('The account has been disabled and its sessions ended.').waitFor()
    await check(admin, '12-admin-user-disabled')
    await admin.getByRole('link', { name: 'Audit log' }).click()
    await admin.getByLabel('Event type').selectOption('admin.user_updated')
    await admin.getByRole('button', { name: 'Filter' }).click()
    await admin.getByRole('cell', { name: 'admin.user_updated', exact: true }).first().waitFor()
    await check(admin, '13-admin-audit')
    await adminContext.close()

    // The user's page is still open on /profile; the next click is refused.
    await user.getByRole('link', { name: 'Security' }).click()
    await user.waitForURL('**/login?next=%2Fsettings%2Fsecurity')
    await user.getByText('Your session has ended. Sign in again to continue.').waitFor()
    await check(user, '14-thrown-out')
    await user.getByLabel('Email or username').fill(account.email)
    await user.getByLabel('Password').fill(account.password)
    await user.getByRole('button', { name: 'Sign in' }).click()
    await user.getByText('This account has been disabled.').waitFor()
  })
})
