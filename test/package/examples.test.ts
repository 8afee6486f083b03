// The examples as a user would run them: `npm pack` the package, `npm install` the tarball
// (its other dependencies come from the npm cache or registry), copy each example next to it,
// start it, and call its protected route with and without a token.
//
// Both examples share one install (`work/node_modules`, found by Node's walk up from
// `work/<example>/`), and install scripts are skipped: the whole file must finish within the
// runner's per-file timeout, and compiling better-sqlite3 from source takes minutes when no
// prebuilt binary can be downloaded. Its one native file is taken from this checkout's own build
// when the versions match (same Node, same platform), and compiled otherwise.
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const EXAMPLES = ['fastify-app', 'express-app'] as const
const PASSWORD = 'violet-harbour-lantern-1987'
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

function readJSON(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> // package.json files
}

/** The examples' own dependencies besides latchkey, e.g. `express@^5.1.0`. */
function exampleDependencies(): string[] {
  return EXAMPLES.flatMap((name) => {
    const deps = readJSON(join(ROOT, 'examples', name, 'package.json'))['dependencies']
    return Object.entries(deps as Record<string, string>) // declared in the example, above
      .filter(([dep]) => dep !== 'latchkey')
      .map(([dep, range]) => `${dep}@${range}`)
  })
}

async function provideNativeBuild(): Promise<void> {
  const BINARY = join('build', 'Release', 'better_sqlite3.node')
  const installed = join(work, 'node_modules', 'better-sqlite3')
  if (!existsSync(installed) || existsSync(join(installed, BINARY))) return
  const local = join(ROOT, 'node_modules', 'better-sqlite3')
  const sameVersion =
    existsSync(join(local, BINARY)) &&
    readJSON(join(local, 'package.json'))['version'] ===
      readJSON(join(installed, 'package.json'))['version']
  if (sameVersion) {
    mkdirSync(join(installed, 'build', 'Release'), { recursive: true })
    cpSync(join(local, BINARY), join(installed, BINARY))
    return
  }
  await run('npm', ['rebuild', 'better-sqlite3'], { cwd: work, timeout: INSTALL_TIMEOUT_MS })
}

async function installExamples(tarball: string): Promise<void> {
  writeFileSync(join(work, 'package.json'), JSON.stringify({ private: true, type: 'module' }))
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball].concat(
      exampleDependencies(),
    ),
    { cwd: work, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
  )
  await provideNativeBuild()
  for (const name of EXAMPLES) {
    cpSync(join(ROOT, 'examples', name), join(work, name), { recursive: true })
  }
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
  before(async () => {
    await installExamples(await packTarball())
  })

  for (const name of EXAMPLES) {
    it(`${name}: the protected route answers 401 without a token and 200 with one`, async () => {
      const dir = join(work, name)
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
