// `npm run bench:revocation`: how long a session logged out through one node stays usable on
// another. Two real `latchkey serve` processes share PostgreSQL (and, in the `redis` run, Redis).
// Each round: log in through A, warm A's session cache with two /auth/me, then poll /auth/me on A
// back to back while logging out through B, until A answers 401. Reported, never asserted:
//   from_logout_ms  first 401 from A − logout request sent to B (includes B's own logout work)
//   after_ack_ms    first 401 from A − B's 204 received (negative: A refused before B's answer
//                   even reached the client)
//   stale_after_ack A's 200s to polls sent after B's 204 was received (the client-visible window)
// Results: bench/results/revocation-propagation.{json,md}.
//
//   ITERATIONS=200 MODES=redis,database npm run bench:revocation
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { createPostgresSchema } from '../test/faults/postgres-schema.ts'
import {
  call,
  login,
  register,
  startServer,
  type ServerProcess,
} from '../test/helpers/server-process.ts'
import { redisUrl } from '../test/helpers/services.ts'

type Mode = 'redis' | 'database'

interface Round {
  readonly fromLogoutMs: number
  readonly logoutMs: number
  readonly afterAckMs: number
  readonly staleAfterAck: number
  readonly polls: number
}

const iterations = Number(process.env['ITERATIONS'] ?? 200)
const isMode = (word: string): word is Mode => word === 'redis' || word === 'database'
const modes = (process.env['MODES'] ?? 'redis,database').split(',').map((word) => {
  const mode = word.trim()
  if (!isMode(mode)) throw new Error(`MODES: unknown mode ${mode} (redis, database)`)
  return mode
})

const now = (): number => performance.now()

async function round(a: ServerProcess, b: ServerProcess, email: string): Promise<Round> {
  const token = await login(a.url, email)
  for (let i = 0; i < 2; i += 1) {
    if ((await call(a.url, 'GET', '/auth/me', { token })).status !== 200)
      throw new Error('warm-up failed')
  }
  let ackAt = Number.POSITIVE_INFINITY
  let refusedAt = 0
  let staleAfterAck = 0
  let polls = 0
  const poller = (async () => {
    for (;;) {
      const sentAt = now()
      const status = (await call(a.url, 'GET', '/auth/me', { token })).status
      polls += 1
      if (status === 401) {
        refusedAt = now()
        return
      }
      if (status !== 200) throw new Error(`unexpected ${status} from A`)
      if (sentAt > ackAt) staleAfterAck += 1
    }
  })()
  await new Promise((resolve) => setTimeout(resolve, 3))
  const sentAt = now()
  const logout = await call(b.url, 'POST', '/auth/logout', { token })
  ackAt = now()
  if (logout.status !== 204) throw new Error(`logout through B answered ${logout.status}`)
  await poller
  return {
    fromLogoutMs: refusedAt - sentAt,
    logoutMs: ackAt - sentAt,
    afterAckMs: refusedAt - ackAt,
    staleAfterAck,
    polls,
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return Math.round((sorted[index] ?? Number.NaN) * 1000) / 1000
}

interface ModeResult {
  readonly mode: Mode
  readonly rounds: number
  readonly fromLogoutMs: { p50: number; p99: number; max: number }
  readonly logoutMs: { p50: number; p99: number; max: number }
  readonly afterAckMs: { p50: number; p99: number; max: number }
  readonly staleAfterAck: number
  readonly meanPollsPerRound: number
}

async function measureMode(mode: Mode): Promise<ModeResult> {
  const schema = await createPostgresSchema()
  const env: Record<string, string> = {
    DATABASE_URL: schema.url,
    SESSION_POLICY: 'multiple',
    LOG_LEVEL: 'error',
    ...(mode === 'redis'
      ? { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}:` }
      : {}),
  }
  const nodes: ServerProcess[] = []
  try {
    nodes.push(await startServer(env))
    nodes.push(await startServer(env))
    const [a, b] = nodes as [ServerProcess, ServerProcess] // both started above
    const email = `bench-${randomBytes(4).toString('hex')}@example.com`
    if ((await register(a.url, email)).status !== 201) throw new Error('register failed')
    const rounds: Round[] = []
    for (let i = 0; i < iterations; i += 1) rounds.push(await round(a, b, email))
    const summary = (pick: (r: Round) => number): { p50: number; p99: number; max: number } => {
      const values = rounds.map(pick)
      return {
        p50: percentile(values, 50),
        p99: percentile(values, 99),
        max: percentile(values, 100),
      }
    }
    return {
      mode,
      rounds: rounds.length,
      fromLogoutMs: summary((r) => r.fromLogoutMs),
      logoutMs: summary((r) => r.logoutMs),
      afterAckMs: summary((r) => r.afterAckMs),
      staleAfterAck: rounds.reduce((sum, r) => sum + r.staleAfterAck, 0),
      meanPollsPerRound:
        Math.round((rounds.reduce((sum, r) => sum + r.polls, 0) / rounds.length) * 10) / 10,
    }
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
    await schema.drop()
  }
}

function markdown(report: { at: string; machine: string; results: ModeResult[] }): string {
  const rows = report.results.map(
    (r) =>
      `| ${r.mode} | ${r.rounds} | ${r.fromLogoutMs.p50} | ${r.fromLogoutMs.p99} | ${r.fromLogoutMs.max} | ${r.logoutMs.p50} | ${r.logoutMs.p99} | ${r.afterAckMs.p50} | ${r.afterAckMs.p99} | ${r.afterAckMs.max} | ${r.staleAfterAck} |`,
  )
  return [
    '# Revocation propagation between two nodes',
    '',
    `${report.at}, ${report.machine}. Two \`latchkey serve\` processes on one PostgreSQL; the`,
    '`redis` run adds Redis (session cache + pub/sub invalidation), the `database` run has none',
    '(every check reads PostgreSQL). Each round logs in through A, warms A with two /auth/me,',
    'polls /auth/me on A back to back and logs out through B; it ends at the first 401 from A.',
    '',
    '- **from logout**: first 401 from A − logout request sent to B (includes B committing the logout).',
    "- **logout itself**: B's 204 received − logout request sent (B's own work, part of the above).",
    "- **after ack**: first 401 from A − B's 204 received; negative when A refused before B's",
    '  answer reached the client.',
    "- **stale after ack**: A's 200 answers to polls sent after B's 204 arrived, over all rounds.",
    '',
    '| mode | rounds | from logout p50 (ms) | p99 | max | logout itself p50 | p99 | after ack p50 | p99 | max | stale after ack |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Target: p99 < 100 ms. Measured on loopback; across hosts add the network round trip.',
    '',
  ].join('\n')
}

const results: ModeResult[] = []
for (const mode of modes) {
  const result = await measureMode(mode)
  console.log(JSON.stringify(result))
  results.push(result)
}
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const load = loadavg()
  .map((n) => n.toFixed(1))
  .join(' ')
const machine = `${cpus().length} × ${cpu}, Node ${process.version}, load average at the end ${load}`
const report = { at: new Date().toISOString(), machine, iterations, results }
const dir = fileURLToPath(new URL('./results/', import.meta.url))
mkdirSync(dir, { recursive: true })
writeFileSync(`${dir}revocation-propagation.json`, `${JSON.stringify(report, null, 2)}\n`)
writeFileSync(`${dir}revocation-propagation.md`, markdown(report))
console.log(`written to ${dir}revocation-propagation.{json,md}`)
