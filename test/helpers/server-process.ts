// Real `latchkey serve` processes for the multi-node, fault and crash tests (and the revocation
// bench): each one a child process on its own port, talked to over real HTTP.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url))
export const PASSWORD = 'violet-harbour-lantern-1987'
/** One secret for every node of a test deployment (README: SECRET_KEY shared across nodes). */
export const SHARED_SECRET = 'cd'.repeat(32)

export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address !== 'object') throw new Error('no port')
  return address.port
}

export interface ServerProcess {
  readonly url: string
  readonly port: number
  readonly child: ChildProcessWithoutNullStreams
  output(): string
  /** SIGTERM (or the given signal) and wait for the exit; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

function childEnv(port: number | null, env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    LATCHKEY_FROM_SOURCE: '1',
    ...(port === null ? {} : { PORT: String(port) }),
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://localhost:3000',
    SECRET_KEY: SHARED_SECRET,
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_THREADS: '1',
    RATE_LIMIT: 'off',
    ...env,
  }
}

/** Starts `latchkey serve` and resolves once it prints its listening line. */
export async function startServer(
  env: Record<string, string>,
  options: { readonly cwd?: string; readonly port?: number } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort())
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BIN, 'serve'], {
    cwd: options.cwd ?? process.cwd(),
    env: childEnv(port, env),
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const deadline = Date.now() + 30_000
  while (!output.includes('Latchkey is listening at')) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the server did not start in 30 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
    const exited = once(child, 'exit')
    child.kill(signal)
    const [code] = (await exited) as [number | null] // 'exit' passes (code, signal)
    return code
  }
  return { url: `http://127.0.0.1:${port}`, port, child, output: () => output, stop }
}

/** Runs the `latchkey` command to completion (tsx, from source). */
export function runLatchkey(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string = process.cwd(),
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), BIN, ...args],
    {
      cwd,
      env: childEnv(null, env),
      encoding: 'utf8',
      timeout: 120_000,
    },
  )
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

export interface Reply {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly headers: Headers
}

/** One JSON request; `timeoutMs` bounds it (a hang is a failure, not a wait). */
export async function call(
  base: string,
  method: string,
  path: string,
  options: {
    body?: unknown
    token?: string
    timeoutMs?: number
    headers?: Record<string, string>
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await response.text()
  const parsed: unknown = text === '' ? {} : JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`not a JSON object: ${text}`)
  return {
    status: response.status,
    body: parsed as Record<string, unknown>,
    headers: response.headers,
  } // checked above
}

export async function register(base: string, email: string): Promise<Reply> {
  return call(base, 'POST', '/auth/register', { body: { email, password: PASSWORD } })
}

/** Logs in and returns the access token. */
export async function login(base: string, email: string): Promise<string> {
  const reply = await call(base, 'POST', '/auth/login', { body: { email, password: PASSWORD } })
  const token = reply.body['access_token']
  if (reply.status !== 200 || typeof token !== 'string') {
    throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`)
  }
  return token
}
