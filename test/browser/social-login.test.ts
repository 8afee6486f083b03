// Social sign-in in real Chromium: /login's "Sign in with Google" button, the provider's real
// login and consent forms (node-oidc-provider, in this process), and back to /secure. Then the
// linked account on /settings/security, and a declined consent's failure page.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { reserveIdP, type TestIdP } from '../integration/oidc-provider-fixture.ts'
import {
  chromiumSkipReason,
  launchChromium,
  screenshot,
  startLiveServer,
  type LiveServer,
  checkPage as check,
} from './harness.ts'

const skip = chromiumSkipReason()

/** The provider's development login form, then its consent form (or its Cancel link). */
async function passProvider(page: Page, login: string, consent: 'allow' | 'deny'): Promise<void> {
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('any password')
  await screenshot(page, `social-02-provider-login-${consent}`)
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('button', { name: 'Continue' }).waitFor()
  if (consent === 'deny') await page.getByRole('link', { name: '[ Cancel ]' }).click()
  else await page.getByRole('button', { name: 'Continue' }).click()
}

describe('browser: sign in with an OpenID provider', { skip }, () => {
  let live: LiveServer
  let idp: TestIdP
  let browser: Browser

  before(async () => {
    const slot = await reserveIdP()
    live = await startLiveServer({
      GOOGLE_CLIENT_ID: 'latchkey-browser',
      GOOGLE_CLIENT_SECRET: 'latchkey-browser-secret-0123456789',
      GOOGLE_ISSUER: slot.issuer,
    })
    idp = await slot.start([
      {
        clientId: 'latchkey-browser',
        clientSecret: 'latchkey-browser-secret-0123456789',
        redirectURIs: [`${live.baseURL}/auth/oauth/google/callback`],
      },
    ])
    idp.accounts.set('ada.social', {
      email: 'ada.social@idp.test',
      email_verified: true,
      name: 'Ada Social',
    })
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await live?.server.cleanup()
    await idp?.close()
  })

  it('clicks "Sign in with Google" on /login, passes the provider’s forms, lands on /secure', async () => {
    const context = await browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: 1024, height: 768 },
    })
    const page = await context.newPage()
    await page.goto('/secure')
    assert.equal(new URL(page.url()).pathname, '/login')
    await check(page, 'social-01-login-buttons')
    await page.getByRole('link', { name: 'Sign in with Google' }).click()
    await page.waitForURL(`${idp.issuer}/**`)
    await passProvider(page, 'ada.social', 'allow')
    await page.waitForURL(`${live.baseURL}/secure`)
    await page.getByText('Ada Social').first().waitFor()
    await check(page, 'social-03-secure')
    await page.goto('/settings/security')
    await page.getByRole('heading', { name: 'Linked accounts' }).waitFor()
    assert.ok(await page.getByText('ada.social@idp.test').first().isVisible())
    await check(page, 'social-04-linked-accounts')
    await context.close()
  })

  it('a declined consent ends on a page that says so, signed out', async () => {
    const context = await browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: 1024, height: 768 },
    })
    const page = await context.newPage()
    await page.goto('/login')
    await page.getByRole('link', { name: 'Sign in with Google' }).click()
    await page.waitForURL(`${idp.issuer}/**`)
    await passProvider(page, 'someone.else', 'deny')
    await page.waitForURL(`${live.baseURL}/auth/oauth/google/callback**`)
    await page.getByText('You cancelled signing in with Google').waitFor()
    await check(page, 'social-05-declined')
    const cookies = await context.cookies()
    assert.ok(!cookies.some((c) => c.name === '__Host-latchkey_session'), 'no session')
    await context.close()
  })
})
