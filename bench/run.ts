// `npm run bench`: the HTTP ceiling (bare Fastify), the login ceiling (raw argon2id on all
// cores), then the real server under load over loopback: register, login, /auth/me by bearer and
// by cookie, refresh, /auth/me during a login storm, a mixed-load soak, and (WORKERS=2) the same
// hot phases on `serve --workers 2`. Every phase is time-limited. Results: bench/results/<stamp>/
// and bench/results/latest.{json,md}. Timings are reported, never asserted.
//
//   DURATION=10 WARMUP=2 CONNECTIONS=32 STORM_CONNECTIONS=64 OVERLOAD_CONNECTIONS=200
//   SOAK_SECONDS=300 WORKERS=2
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { newChecks, type Checks } from './lib/flows.ts'
import { measure, type PhaseResult } from './lib/load.ts'
import { startProcess, withChildren } from './lib/proc.ts'
import { renderMarkdown, type BenchReport } from './lib/report.ts'
import { runServerPhases } from './lib/server-phases.ts'

const num = (name: string, fallback: number): number => {
  const raw = process.env[name]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`)
  return value
}

export const settings = {
  duration: num('DURATION', 10),
  warmup: num('WARMUP', 2),
  // Logins run at ~150/s, not ~30,000/s: 2 s is 300 logins, and V8 was still compiling the login
  // path (its compiler threads took ~0.3 ms per login, the event loop ~10% more in unoptimized
  // code). 20 s (~3,000 logins) measures the steady state a running server is in.
  loginWarmup: num('LOGIN_WARMUP', 20),
  connections: num('CONNECTIONS', 32),
  // Logins in flight during the storm: all hash threads busy, all within the pool's queue
  // (PASSWORD_HASH_MAX_QUEUE defaults to 64 per thread), so none is refused.
  stormConnections: num('STORM_CONNECTIONS', 64),
  // More than the pool holds (2 threads holding 2 each + 128 queued here): shows shedding (503 +
  // Retry-After).
  overloadConnections: num('OVERLOAD_CONNECTIONS', 200),
  soakSeconds: num('SOAK_SECONDS', 300),
  workers: num('WORKERS', 2),
}

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * `withHeaders`: the informative second baseline; `workers`: the same route on node:cluster
 * workers, the informative ceiling of the cluster phases (bare-fastify.ts explains both).
 */
async function bareFastify(withHeaders = false, workers = 0): Promise<PhaseResult> {
  const port = 3098
  const bare = await startProcess(
    ['--import', import.meta.resolve('tsx'), `${root}bench/bare-fastify.ts`],
    {
      ...process.env,
      PORT: String(port),
      HEADERS: withHeaders ? '1' : '0',
      WORKERS: String(workers),
    },
    `http://127.0.0.1:${port}/hello`,
  )
  try {
    const load = {
      connections: settings.connections,
      requests: [{ method: 'GET', path: '/hello' }],
    }
    const target = {
      url: `http://127.0.0.1:${port}`,
      pids: () => withChildren(bare.pid),
      probePorts: [],
    }
    const [result] = await measure(target, { bare: load }, settings.duration, settings.warmup)
    if (result === undefined) throw new Error('no result')
    return result
  } finally {
    await bare.stop()
  }
}

interface Argon2Ceiling {
  readonly threads: number
  readonly seconds: number
  readonly hashes: number
  readonly perSecond: number
  readonly oneMs: number
}

async function argon2Ceiling(): Promise<Argon2Ceiling> {
  const { spawnSync } = await import('node:child_process')
  const seconds = Math.max(3, Math.min(settings.duration, 10))
  const out = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), `${root}bench/argon2-ceiling.ts`, String(seconds)],
    { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
  )
  if (out.status !== 0) throw new Error(`argon2-ceiling failed: ${out.stderr}`)
  return JSON.parse(out.stdout) as Argon2Ceiling // one JSON line written by argon2-ceiling.ts
}

const started = new Date()
const stamp = started.toISOString().replace(/[:.]/g, '-')
console.log(`bench ${stamp}: ${JSON.stringify(settings)}`)
const bare = await bareFastify()
console.log(`bare fastify: ${bare.rps} req/s, p99 ${bare.p99} ms`)
const bareWithHeaders = { ...(await bareFastify(true)), name: 'bare + our headers' }
console.log(`bare fastify with our response headers: ${bareWithHeaders.rps} req/s`)
const argon2 = await argon2Ceiling()
console.log(
  `argon2id ceiling: ${argon2.perSecond.toFixed(1)} hashes/s on ${argon2.threads} threads`,
)
const checks: Checks = newChecks()
// Measured again around the phases they are ceilings of (server-phases.ts, `Bracket`).
const baselines = {
  bare: async () => (await bareFastify()).rps,
  argon2: async () => (await argon2Ceiling()).perSecond,
}
const single = await runServerPhases({
  settings,
  checks,
  workers: 0,
  port: 3097,
  probePort: 3190,
  baselines,
})
const bareCluster =
  settings.workers > 0
    ? { ...(await bareFastify(false, settings.workers)), name: `bare, ${settings.workers} workers` }
    : undefined
if (bareCluster !== undefined) console.log(`bare fastify on workers: ${bareCluster.rps} req/s`)
const cluster =
  settings.workers > 0
    ? await runServerPhases({
        settings: { ...settings, soakSeconds: 0 },
        checks,
        workers: settings.workers,
        port: 3096,
        probePort: 3200,
        baselines,
      })
    : null

const report: BenchReport = {
  stamp,
  machine: {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadavgAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  },
  settings,
  baselines: { bare, bareWithHeaders, bareCluster, argon2 },
  single,
  cluster,
  checks,
  elapsedSeconds: Math.round((Date.now() - started.getTime()) / 1000),
}
const dir = `${root}bench/results/${stamp}`
mkdirSync(dir, { recursive: true })
const json = `${JSON.stringify(report, null, 2)}\n`
const markdown = renderMarkdown(report)
for (const [path, text] of [
  [`${dir}/results.json`, json],
  [`${dir}/results.md`, markdown],
  [`${root}bench/results/latest.json`, json],
  [`${root}bench/results/latest.md`, markdown],
] as const) {
  writeFileSync(path, text)
}
console.log(markdown)
console.log(`written to ${dir}`)
