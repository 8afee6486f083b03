// Regenerates the README's screenshots in docs/screenshots/ (committed). Not a check, so it runs
// only when asked: UPDATE_SCREENSHOTS=1 node --import tsx --test test/browser/readme-screenshots.test.ts
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, startLiveServer, type LiveServer } from './harness.ts'

const OUT = join(process.cwd(), 'docs', 'screenshots')
const wanted = process.env.UPDATE_SCREENSHOTS === '1'
const skip = wanted ? false : 'set UPDATE_SCREENSHOTS=1 to regenerate docs/screenshots/'

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

describe('README screenshots', { skip }, () => {
  let live: LiveServer
  let browser: Browser
  const person = {
    email: 'ada@example.com',
    username: 'ada',
    name: 'Ada Lovelace',
    password: 'violet-harbour-lantern-1987',
  }

  before(async () => {
    live = await startLiveServer({ SESSION_POLICY: 'multiple' })
    await live.server.auth.createUser(person, { ip: null, userAgent: null })
    // A second device, so the session list shows what "sign out this device" is for.
    await live.server.auth.login(
      { email: person.email, password: person.password },
      { ip: '203.0.113.24', userAgent: IPHONE },
    )
    browser = await launchChromium()
    mkdirSync(OUT, { recursive: true })
  })
  after(async () => {
    await browser?.close()
    await live?.server.cleanup()
  })

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true })
  }

  it('takes the login page and the security settings', async () => {
    const context = await browser.newContext({
      baseURL: live.baseURL,
      viewport: { width: 960, height: 640 },
    })
    const page = await context.newPage()
    await page.goto('/login?next=/settings/security')
    await shoot(page, 'login')
    await page.getByLabel('Email or username').fill(person.email)
    await page.getByLabel('Password').fill(person.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/settings/security')
    await shoot(page, 'security-settings')
    await context.close()
  })
})
