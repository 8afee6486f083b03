// The real `latchkey serve` process over real HTTP: what an operator and a client see, including
// a crash (kill -9) and a start with no configuration at all.
import assert from 'node:assert/strict'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url))
const PASSWORD = 'violet-harbour-lantern-1987'
const dirs: string[] = []
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-'))
  dirs.push(dir)
  return dir
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  assert.ok(address !== null && typeof address === 'object')
  return address.port
}

interface Running {
  readonly url: string
  readonly child: ChildProcessWithoutNullStreams
  output(): string
}

/** Starts `latchkey serve` in `cwd` and resolves once it prints its listening line. */
async function startServer(
  cwd: string,
  port: number,
  env: Record<string, string> = {},
): Promise<Running> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BIN, 'serve'], {
    cwd,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: cwd,
      LATCHKEY_FROM_SOURCE: '1',
      PORT: String(port),
      ...env,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const deadline = Date.now() + 30_000
  while (!output.includes('Latchkey is listening at')) {
    if (child.exitCode !== null) assert.fail(`the server exited (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      assert.fail(`the server did not start in 30 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output }
}

async function stop(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode
  const exited = once(running.child, 'exit')
  running.child.kill(signal)
  const [code] = (await exited) as [number | null] // 'exit' passes (code, signal)
  return code
}

async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {}
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await response.text()
  const parsed: unknown = text === '' ? {} : JSON.parse(text)
  assert.ok(typeof parsed === 'object' && parsed !== null, text)
  return { status: response.status, body: parsed as Record<string, unknown> } // an object, checked above
}

async function accessTokenFor(base: string, email: string): Promise<string> {
  const login = await call(base, 'POST', '/auth/login', { body: { email, password: PASSWORD } })
  assert.equal(login.status, 200, JSON.stringify(login.body))
  assert.equal(typeof login.body['access_token'], 'string')
  return String(login.body['access_token'])
}

describe('latchkey serve, over real HTTP', () => {
  it('registers, logs in, answers /auth/me, logs out and then refuses the token', async () => {
    const dir = tempDir()
    const server = await startServer(dir, await freePort(), {
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_THREADS: '1',
    })
    try {
      const registered = await call(server.url, 'POST', '/auth/register', {
        body: { email: 'ada@example.com', password: PASSWORD },
      })
      assert.equal(registered.status, 201, JSON.stringify(registered.body))
      const token = await accessTokenFor(server.url, 'ada@example.com')
      const me = await call(server.url, 'GET', '/auth/me', { token })
      assert.equal(me.status, 200)
      assert.equal(me.body['email'], 'ada@example.com')
      assert.equal((await call(server.url, 'POST', '/auth/logout', { token })).status, 204)
      assert.equal((await call(server.url, 'GET', '/auth/me', { token })).status, 401)
      assert.equal((await call(server.url, 'GET', '/healthz')).status, 200)
    } finally {
      assert.equal(await stop(server, 'SIGTERM'), 0, server.output())
    }
    assert.match(server.output(), /SIGTERM received/)
  })

  it('keeps an acknowledged registration through kill -9', async () => {
    const dir = tempDir()
    const port = await freePort()
    const env = { LOG_LEVEL: 'warn', PASSWORD_HASH_THREADS: '1' }
    const first = await startServer(dir, port, env)
    const registered = await call(first.url, 'POST', '/auth/register', {
      body: { email: 'durable@example.com', password: PASSWORD },
    })
    assert.equal(registered.status, 201)
    await stop(first, 'SIGKILL')

    const second = await startServer(dir, port, env)
    try {
      await accessTokenFor(second.url, 'durable@example.com')
    } finally {
      await stop(second, 'SIGTERM')
    }
  })

  it('starts with no configuration: schema migrated, secret kept, tokens valid after a restart', async () => {
    const dir = tempDir()
    const port = await freePort()
    const first = await startServer(dir, port)
    let token: string
    try {
      assert.ok(statSync(join(dir, 'data', 'latchkey.db')).isFile())
      assert.equal(statSync(join(dir, 'data', 'latchkey.secret')).mode & 0o777, 0o600)
      const registered = await call(first.url, 'POST', '/auth/register', {
        body: { email: 'fresh@example.com', password: PASSWORD },
      })
      assert.equal(registered.status, 201)
      token = await accessTokenFor(first.url, 'fresh@example.com')
    } finally {
      assert.equal(await stop(first, 'SIGTERM'), 0, first.output())
    }

    const second = await startServer(dir, port)
    try {
      const me = await call(second.url, 'GET', '/auth/me', { token })
      assert.equal(me.status, 200, JSON.stringify(me.body))
      assert.equal(me.body['email'], 'fresh@example.com')
    } finally {
      await stop(second, 'SIGTERM')
    }
  })
})
