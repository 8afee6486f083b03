// Two-factor and passkeys in real Chromium against the listening server, with a virtual WebAuthn
// authenticator (Chrome DevTools Protocol): turn TOTP on from the settings page, register a
// passkey while signed in, sign out, then sign in with the passkey alone (no password, no code).
//
// WebAuthn needs a secure context and an RP ID that is a domain, not an IP address, so this
// suite serves on http://localhost (a secure context) with PUBLIC_URL set to exactly that.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { makeTestServer, newAccount, type TestServer } from '../helpers/app.ts'
import { codeAt } from '../helpers/mfa.ts'
import {
  chromiumSkipReason,
  describeViolations,
  launchChromium,
  screenshot,
  seriousA11yViolations,
} from './harness.ts'

const skip = chromiumSkipReason()

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name)
  const violations = await seriousA11yViolations(page)
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`)
}

describe('browser: two-factor set-up and passkeys', { skip }, () => {
  let server: TestServer
  let baseURL: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let cdp: CDPSession
  let authenticatorId: string
  const account = newAccount({ name: 'Grace Hopper' })

  before(async () => {
    const port = await freePort()
    baseURL = `http://localhost:${port}`
    server = await makeTestServer({ PUBLIC_URL: baseURL })
    await server.app.listen({ host: 'localhost', port })
    await server.auth.createUser(account, { ip: null, userAgent: null })
    browser = await launchChromium()
    context = await browser.newContext({ baseURL, viewport: { width: 1024, height: 768 } })
    page = await context.newPage()
    cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    })
    authenticatorId = added.authenticatorId
  })
  after(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('signs in with the password and turns on TOTP from the settings page', async () => {
    await page.goto('/login?next=/settings/security')
    await page.getByLabel('Email or username').fill(account.email)
    await page.getByLabel('Password').fill(account.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/settings/security')
    await check(page, 'mfa-01-settings-off')

    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
    await page.waitForURL('**/settings/security/2fa')
    const qr = page.getByRole('img', { name: /QR code/ })
    await qr.waitFor()
    assert.match(String(await qr.getAttribute('src')), /^data:image\/svg\+xml;base64,/)
    assert.ok(((await qr.boundingBox())?.width ?? 0) >= 200, 'the QR code is rendered')
    await check(page, 'mfa-02-setup-qr')

    const secret = (await page.locator('code.mono').innerText()).replace(/\s/g, '')
    await page.getByLabel('Code from the app').fill(codeAt(secret, new Date()))
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
    assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).locator('li').count(), 10)
    await check(page, 'mfa-03-recovery-codes')
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click()
    await page.waitForURL('**/settings/security')
    await page.getByText('10 recovery codes are left.').waitFor()
  })

  it('registers a passkey while signed in', async () => {
    await page.getByLabel('Name for the new passkey').fill('Test laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('Test laptop', { exact: true }).waitFor()
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    assert.equal(credentials.length, 1)
    assert.equal(credentials[0]?.isResidentCredential, true, 'a discoverable credential')
    await check(page, 'mfa-04-settings-with-passkey')
  })

  it('signs out, then signs in with the passkey alone: no password, no TOTP code', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL('**/login')
    await page.getByRole('link', { name: 'Sign in with a passkey' }).click()
    await page.waitForURL('**/login/passkey')
    await check(page, 'mfa-05-passkey-login')
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.waitForURL(`${baseURL}/`)
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor()
    await page.goto('/settings/security')
    assert.equal(new URL(page.url()).pathname, '/settings/security', 'signed in')
    await page
      .getByText(/Last used/)
      .first()
      .waitFor()
    await screenshot(page, 'mfa-06-signed-in-with-passkey')
    const events = await server.auth.findUser(account.email)
    assert.ok(events !== null && events.mfaEnabled, '2FA stayed on; the passkey satisfied it')
  })

  it('deletes the passkey from the settings page', async () => {
    await page.getByRole('button', { name: /^Delete/ }).click()
    await page.getByText('The passkey has been deleted.').waitFor()
    await page.getByText('You have no passkeys yet.').waitFor()
    await screenshot(page, 'mfa-07-passkey-deleted')
  })
})
