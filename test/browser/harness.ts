// The real server listening on 127.0.0.1, Debian's Chromium driven by playwright-core, axe-core
// for accessibility, and screenshots under test-results/browser/ (git-ignored).
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { makeTestServer, type TestServer } from '../helpers/app.ts'

export const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'browser')

/**
 * False to run, or why the browser suite is skipped. A missing Chromium prints one line and skips
 * locally; with CI set it throws, so a broken CI image can never pass silently.
 */
export function chromiumSkipReason(): string | false {
  if (existsSync(CHROMIUM)) return false
  const message = `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``
  if (process.env.CI !== undefined && process.env.CI !== '') {
    throw new Error(`${message} (CI is set, so the browser tests fail instead of skipping)`)
  }
  process.stderr.write(`# ${message}; skipping the browser tests\n`)
  return message
}

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

export interface LiveServer {
  readonly server: TestServer
  readonly baseURL: string
}

/** buildServer + listen; PUBLIC_URL is the very origin the browser uses, so Origin checks pass. */
export async function startLiveServer(env: Record<string, string> = {}): Promise<LiveServer> {
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const server = await makeTestServer({
    PUBLIC_URL: baseURL,
    PROFILE_FIELDS: 'company:string?',
    ...env,
  })
  await server.app.listen({ host: '127.0.0.1', port })
  return { server, baseURL }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: readonly { readonly target: readonly string[] }[]
}

/**
 * axe-core's serious and critical violations on the page. The page's CSP forbids script, so
 * axe is evaluated over the DevTools protocol, which CSP does not govern.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  // A string, so no DOM types are needed here; axe.run resolves with its results object.
  const result: unknown = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
  )
  const violations = Array.isArray(result) ? (result as AxeViolation[]) : [] // the shape built just above
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.impact ?? '?'} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    )
    .join('\n')
}

/** Screenshot, then no serious or critical accessibility violations on the page. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name)
  const violations = await seriousA11yViolations(page)
  if (violations.length > 0) throw new Error(`${name}:\n${describeViolations(violations)}`)
}
