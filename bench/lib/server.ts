// Starts the real server (`node bin/latchkey.js serve`) on a temporary SQLite database, with the
// event-loop probe preloaded. It runs the build in dist/, which `buildForBench()` has just made
// from the working tree: what users run, without tsx's per-function `__name` wrappers (1-2% of a
// warm request in a CPU profile). BENCH_FROM_SOURCE=1 runs the TypeScript source through tsx.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Target } from './load.ts'
import { startProcess, withChildren, type Started } from './proc.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const fromSource = process.env['BENCH_FROM_SOURCE'] === '1'

/**
 * `npm run build` (tsc into dist/), once per bench process, unless BENCH_FROM_SOURCE=1 or
 * BENCH_SKIP_BUILD=1 (bench/side-by-side.sh has built both checkouts already).
 */
let built = false
export function buildForBench(): void {
  if (fromSource || built || process.env['BENCH_SKIP_BUILD'] === '1') return
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0)
    throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`)
  built = true
}

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
  buildForBench()
  const args = [
    // Extra flags for the server's node, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p'
    // (node refuses --cpu-prof in NODE_OPTIONS).
    ...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
    ...(fromSource ? ['--import', import.meta.resolve('tsx')] : []),
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
    LATCHKEY_FROM_SOURCE: fromSource ? '1' : '0',
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
