// The mail flows in real Chromium (issue 3 with issue 5): sign up, confirm the address from the
// dev outbox, forget the password, reset it from the outbox, sign in with the new one. This is
// the proof that the reset form still posts from a browser: its page keeps `same-origin`, while
// the token-bearing URL answers `no-referrer` and is swapped for the bare path at once.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { newAccount } from '../helpers/app.ts'
import {
  chromiumSkipReason,
  launchChromium,
  startLiveServer,
  type LiveServer,
  checkPage as check,
} from './harness.ts'

const skip = chromiumSkipReason()

/** Opens /dev/mail and follows the newest link to `path` in a mail to `to`. */
async function followMailLink(page: Page, to: string, path: string): Promise<string> {
  await page.goto('/dev/mail')
  const link = page.locator('article', { hasText: to }).locator(`a[href*="${path}?token="]`).first()
  const href = await link.getAttribute('href')
  assert.ok(href !== null, `a ${path} link to ${to}`)
  await link.click()
  await page.waitForURL((url) => url.pathname === path)
  return href
}

describe('browser: verification and password reset by mail', { skip }, () => {
  let live: LiveServer
  let browser: Browser
  let page: Page
  const account = newAccount()
  const newPassword = 'browser-tamarind-keystone-2024'

  before(async () => {
    live = await startLiveServer()
    browser = await launchChromium()
    const context = await browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: 1024, height: 768 },
    })
    page = await context.newPage()
  })
  after(async () => {
    await browser?.close()
    await live?.server.cleanup()
  })

  it('confirms the address from the link in the dev outbox, by a button', async () => {
    await page.goto('/register')
    await page.fill('#f-email', account.email)
    await page.fill('#f-password', account.password)
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => url.pathname === '/login')

    await page.goto('/dev/mail')
    await check(page, 'mail-01-dev-outbox')
    const href = await followMailLink(page, account.email, '/verify-email')
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar')
    assert.ok(!(await page.content()).includes(new URL(href).searchParams.get('token') ?? '?'))
    await check(page, 'mail-02-verify-email')
    assert.equal((await live.server.auth.findUser(account.email))?.emailVerified, false)

    await page.click('text=Confirm email address')
    await page.waitForURL((url) => url.pathname === '/login')
    assert.match(await page.locator('.flash').innerText(), /confirmed/)
    assert.equal((await live.server.auth.findUser(account.email))?.emailVerified, true)
  })

  it('resets a forgotten password from the mailed link, and signs in with the new one', async () => {
    await page.goto('/login')
    await page.click('text=Forgot your password?')
    await page.waitForURL((url) => url.pathname === '/forgot-password')
    await check(page, 'mail-03-forgot-password')
    await page.fill('#f-email', account.email)
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => url.pathname === '/login')
    assert.match(await page.locator('.flash').innerText(), /on its way/)

    await followMailLink(page, account.email, '/reset-password')
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar')
    await check(page, 'mail-04-reset-password')
    await page.fill('#f-new_password', 'short')
    await page.click('button[type="submit"]')
    assert.match(await page.locator('.error-summary').innerText(), /at least/)
    await page.fill('#f-new_password', newPassword)
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => url.pathname === '/login')
    assert.match(await page.locator('.flash').innerText(), /password has been changed/)

    await page.fill('#f-identifier', account.email)
    await page.fill('#f-password', newPassword)
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => url.pathname === '/')
    await page.goto('/secure')
    assert.equal(new URL(page.url()).pathname, '/secure')
  })
})
