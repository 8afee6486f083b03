// CPU per request by thread: starts the server of this checkout (its dist/ build), runs one load
// phase and reads /proc/<pid>/task before and after it. Prints one JSON line.
//
//   node --import tsx bench/thread-cpu.ts login|me-bearer|me-cookie|refresh|bare|bare-headers
//   env: PORT (3200; the probe uses PORT + 100), DURATION (10), WARMUP (2; 20 for login, as in
//   `npm run bench`: bench/run.ts says why), CONNECTIONS (32; 1 measures a login's CPU without
//   other logins' hashes competing for the cores), WORKERS (0; N runs `serve --workers N` and
//   sums the threads of every worker: "main" is then each worker's event loop)
//
// `bare` and `bare-headers` measure the HTTP ceiling (bench/bare-fastify.ts) the same way, so
// that /auth/me's CPU per request can be set beside the bare route's measured at the same time.
//
// Threads are told apart by what they are: the main thread (the event loop), the password-hash
// threads (nice 10, src/crypto/thread-priority.ts) and the rest (V8's GC and compiler threads,
// libuv's pool). bench/side-by-side.sh runs it in two checkouts at once, so that both see the
// same host speed: on this VM the speed drifts by tens of percent between runs a minute apart.
import { readdirSync, readFileSync } from 'node:fs'
import { login, loginLoad, meLoad, newChecks, refreshLoad, registerMany } from './lib/flows.ts'
import type { Load } from './lib/load.ts'
import { measure } from './lib/load.ts'
import { startProcess } from './lib/proc.ts'
import { startServer, type RunningServer } from './lib/server.ts'

type ThreadKind = 'main' | 'hash' | 'other'

/** CPU seconds so far of each thread of the processes `pids`, keyed by thread id. */
function threadSeconds(
  pids: readonly number[],
): Map<string, { kind: ThreadKind; seconds: number }> {
  const threads = new Map<string, { kind: ThreadKind; seconds: number }>()
  for (const pid of pids)
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      // Fields after the command name, which is in parentheses: utime 11, stime 12, nice 16.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const kind: ThreadKind = tid === String(pid) ? 'main' : fields[16] === '10' ? 'hash' : 'other'
      threads.set(tid, { kind, seconds: (Number(fields[11]) + Number(fields[12])) / 100 })
    }
  return threads
}

const phases = ['login', 'me-bearer', 'me-cookie', 'refresh', 'bare', 'bare-headers']
const phase = process.argv[2] ?? ''
if (!phases.includes(phase)) {
  console.error(`usage: bench/thread-cpu.ts ${phases.join('|')}`)
  process.exit(2)
}
const port = Number(process.env['PORT'] ?? '3200')
const duration = Number(process.env['DURATION'] ?? '10')
const warmup = Number(process.env['WARMUP'] ?? (phase === 'login' ? '20' : '2'))
const bare = phase.startsWith('bare')
const connections = Number(process.env['CONNECTIONS'] ?? '32')
const workers = Number(process.env['WORKERS'] ?? '0')

/** The bare route in its own process, shaped like a RunningServer for `measure`. */
async function startBare(): Promise<RunningServer> {
  const started = await startProcess(
    [
      '--import',
      import.meta.resolve('tsx'),
      new URL('./bare-fastify.ts', import.meta.url).pathname,
    ],
    { ...process.env, PORT: String(port), HEADERS: phase === 'bare-headers' ? '1' : '0' },
    `http://127.0.0.1:${port}/hello`,
  )
  return {
    url: `http://127.0.0.1:${port}`,
    process: started,
    pids: () => [started.pid],
    probePorts: [],
    stop: () => started.stop(),
  }
}

async function loadFor(server: RunningServer): Promise<Load> {
  if (bare) return { connections, requests: [{ method: 'GET', path: '/hello' }] }
  const users = await registerMany(server.url, `cpu${Date.now().toString(36)}`, 16)
  const first = users[0]
  if (first === undefined) throw new Error('no account')
  if (phase === 'login') return loginLoad(connections, users, checks)
  if (phase === 'refresh')
    return refreshLoad(await Promise.all(users.map((email) => login(server.url, email))), checks)
  const session = await login(server.url, first)
  return meLoad(connections, session, phase === 'me-bearer' ? 'bearer' : 'cookie', checks)
}

const server = bare
  ? await startBare()
  : await startServer({ port, probePort: port + 100, workers })
const checks = newChecks()
try {
  const load = await loadFor(server)
  if (warmup > 0) await measure(server, { warmup: load }, warmup, 0)
  const before = threadSeconds(server.pids())
  const [result] = await measure(server, { [phase]: load }, duration, 0)
  const after = threadSeconds(server.pids())
  if (result === undefined) throw new Error('no result')
  const perRequest: Record<ThreadKind, number> = { main: 0, hash: 0, other: 0 }
  for (const [tid, now] of after) {
    perRequest[now.kind] += now.seconds - (before.get(tid)?.seconds ?? 0)
  }
  const us = (seconds: number): number => Math.round((seconds * 1e7) / result.total) / 10
  console.log(
    JSON.stringify({
      checkout: process.cwd(),
      port,
      phase,
      workers,
      rps: result.rps,
      p99: result.p99,
      cpuMicrosecondsPerRequest: {
        main: us(perRequest.main),
        hash: us(perRequest.hash),
        other: us(perRequest.other),
      },
      non2xx: result.non2xx,
      wrongBody: checks.wrongBody,
    }),
  )
} finally {
  await server.stop()
}
