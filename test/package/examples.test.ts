// The examples as a user would run them: `npm pack` the package, copy each example to a temporary
// directory, `npm install` the tarball there (its other dependencies come from the npm cache or
// registry), start it, and call its protected route with and without a token.
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const EXAMPLES = ['fastify-app', 'express-app'] as const
const PASSWORD = 'violet-harbour-lantern-1987'
// Installing compiles better-sqlite3 when no prebuilt binary can be fetched: minutes, not seconds.
const INSTALL_TIMEOUT_MS = 10 * 60_000
const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'latchkey-examples-'))
after(() => rmSync(work, { recursive: true, force: true }))

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  assert.ok(address !== null && typeof address === 'object')
  return address.port
}

async function packTarball(): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  })
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[]
  assert.ok(packed !== undefined)
  return join(work, packed.filename)
}

async function installExample(name: string, tarball: string): Promise<string> {
  const dir = join(work, name)
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true })
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: dir,
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  })
  return dir
}

async function start(dir: string, port: number): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      PORT: String(port),
      LATCHKEY_SECRET: Buffer.alloc(32, 7).toString('base64'),
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'warn',
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const deadline = Date.now() + 30_000
  while (!output.includes('example listening')) {
    assert.equal(child.exitCode, null, output)
    assert.ok(Date.now() < deadline, `the example did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return child
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('examples installed from the packed package', { timeout: 2 * INSTALL_TIMEOUT_MS }, () => {
  const installed = new Map<string, string>()
  before(async () => {
    const tarball = await packTarball()
    // Both at once: the npm cache is shared and the compile of native modules dominates.
    const dirs = await Promise.all(EXAMPLES.map((name) => installExample(name, tarball)))
    EXAMPLES.forEach((name, i) => installed.set(name, dirs[i] ?? ''))
  })

  for (const name of EXAMPLES) {
    it(`${name}: the protected route answers 401 without a token and 200 with one`, async () => {
      const dir = installed.get(name)
      assert.ok(dir !== undefined && dir !== '')
      const port = await freePort()
      const child = await start(dir, port)
      const base = `http://127.0.0.1:${port}`
      try {
        const anonymous = await fetch(`${base}/hello`)
        assert.equal(anonymous.status, 401)
        assert.equal(((await anonymous.json()) as { code: string }).code, 'not_authenticated')

        const email = `ada-${name}@example.com`
        const registered = await post(`${base}/auth-api/auth/register`, {
          email,
          password: PASSWORD,
        })
        assert.equal(registered.status, 201, await registered.clone().text())
        const login = await post(`${base}/auth-api/auth/login`, { email, password: PASSWORD })
        assert.equal(login.status, 200)
        const { access_token: token } = (await login.json()) as { access_token: string }

        const hello = await fetch(`${base}/hello`, {
          headers: { authorization: `Bearer ${token}` },
        })
        assert.equal(hello.status, 200)
        assert.deepEqual(await hello.json(), { hello: email })
        const admin = await fetch(`${base}/admin/stats`, {
          headers: { authorization: `Bearer ${token}` },
        })
        assert.equal(admin.status, 403)
        const forged = await fetch(`${base}/hello`, {
          headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
        })
        assert.equal(forged.status, 401)
      } finally {
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        await exited
      }
    })
  }
})
