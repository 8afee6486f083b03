// The pages at 320 px wide (WCAG 1.4.10 reflow: no sideways scrolling) and in dark mode, with
// screenshots and the axe-core check for each.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { newAccount } from '../helpers/app.ts'
import {
  chromiumSkipReason,
  describeViolations,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  startLiveServer,
  type LiveServer,
} from './harness.ts'

const skip = chromiumSkipReason()

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Email or username').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/')
}

async function checkPage(page: Page, url: string, name: string, width: number): Promise<void> {
  await page.goto(url)
  await screenshot(page, name)
  const overflow: unknown = await page.evaluate('document.documentElement.scrollWidth')
  assert.ok(
    typeof overflow === 'number' && overflow <= width,
    `${name}: ${String(overflow)}px wide at ${width}px`,
  )
  const violations = await seriousA11yViolations(page)
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`)
}

describe('browser: narrow screens and dark mode', { skip }, () => {
  let live: LiveServer
  let browser: Browser
  const admin = newAccount({ name: 'Admin Person' })
  const PAGES = [
    ['/login', 'login'],
    ['/register', 'register'],
    ['/settings/security', 'security'],
    ['/profile/edit', 'profile-edit'],
    ['/admin/users', 'admin-users'],
    ['/admin/audit', 'admin-audit'],
  ] as const

  before(async () => {
    live = await startLiveServer()
    await live.server.auth.createUser({ ...admin, role: 'admin' }, { ip: null, userAgent: null })
    for (const name of ['Grace Hopper', 'Katherine Johnson']) {
      await live.server.auth.createUser(
        { ...newAccount({ name }) },
        { ip: '192.0.2.1', userAgent: null },
      )
    }
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await live?.server.cleanup()
  })

  async function context(options: { width: number; dark: boolean }): Promise<BrowserContext> {
    return browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: options.width, height: 720 },
      colorScheme: options.dark ? 'dark' : 'light',
    })
  }

  for (const dark of [false, true]) {
    const scheme = dark ? 'dark' : 'light'
    it(`fits 320 px wide without sideways scrolling (${scheme})`, async () => {
      const ctx = await context({ width: 320, dark })
      const page = await ctx.newPage()
      await checkPage(page, '/', `320-${scheme}-home`, 320)
      for (const [url, name] of PAGES.slice(0, 2))
        await checkPage(page, url, `320-${scheme}-${name}`, 320)
      await signIn(page, admin.email, admin.password)
      for (const [url, name] of PAGES.slice(2))
        await checkPage(page, url, `320-${scheme}-${name}`, 320)
      await ctx.close()
    })
  }

  it('shows the pages in dark mode at desktop width', async () => {
    const ctx = await context({ width: 1024, dark: true })
    const page = await ctx.newPage()
    await checkPage(page, '/login', 'dark-login', 1024)
    await page.getByLabel('Email or username').fill('nobody@example.com')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').first().waitFor()
    await screenshot(page, 'dark-login-error')
    await signIn(page, admin.email, admin.password)
    await checkPage(page, '/settings/security', 'dark-security', 1024)
    await checkPage(page, '/admin/users', 'dark-admin-users', 1024)
    await ctx.close()
  })
})
