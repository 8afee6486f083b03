// Starts the real server (`node bin/latchkey.js serve`, from source through tsx so the bench
// measures the working tree) on a temporary SQLite database, with the event-loop probe preloaded.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Target } from './load.ts'
import { startProcess, withChildren, type Started } from './proc.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface RunningServer extends Target {
  readonly process: Started
  stop(): Promise<void>
}

export async function startServer(options: {
  readonly port: number
  readonly probePort: number
  readonly workers?: number
  readonly env?: Record<string, string>
}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'))
  const url = `http://127.0.0.1:${options.port}`
  const workers = options.workers ?? 0
  const args = [
    '--import',
    import.meta.resolve('tsx'),
    '--import',
    new URL('./eld-probe.mjs', import.meta.url).href,
    join(root, 'bin/latchkey.js'),
    'serve',
    ...(workers > 0 ? ['--workers', String(workers)] : []),
  ]
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    SECRET_KEY_FILE: join(dir, 'secret'),
    HOST: '127.0.0.1',
    PORT: String(options.port),
    PUBLIC_URL: url,
    RATE_LIMIT: 'off', // all the load comes from one address
    LOG_LEVEL: 'warn',
    LATCHKEY_FROM_SOURCE: '1', // measure the working tree, not a possibly stale dist/
    BENCH_PROBE_PORT: String(options.probePort),
    ...options.env,
  }
  const started = await startProcess(args, env, `${url}/openapi.json`)
  const probePorts =
    workers > 0
      ? Array.from({ length: workers }, (_, i) => options.probePort + i + 1)
      : [options.probePort]
  return {
    url,
    process: started,
    pids: () => withChildren(started.pid),
    probePorts,
    async stop() {
      await started.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
