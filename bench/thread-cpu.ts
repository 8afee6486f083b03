// CPU per request by thread: starts the server of this checkout (its dist/ build), runs one load
// phase and reads /proc/<pid>/task before and after it. Prints one JSON line.
//
//   node --import tsx bench/thread-cpu.ts login|me-bearer|me-cookie
//   env: PORT (3200; the probe uses PORT + 100), DURATION (10), WARMUP (2)
//
// Threads are told apart by what they are: the main thread (the event loop), the password-hash
// threads (nice 10, src/crypto/thread-priority.ts) and the rest (V8's GC and compiler threads,
// libuv's pool). bench/side-by-side.sh runs it in two checkouts at once, so that both see the
// same host speed: on this VM the speed drifts by tens of percent between runs a minute apart.
import { readdirSync, readFileSync } from 'node:fs'
import { login, loginLoad, meLoad, newChecks, registerMany } from './lib/flows.ts'
import type { Load } from './lib/load.ts'
import { measure } from './lib/load.ts'
import { startServer } from './lib/server.ts'

type ThreadKind = 'main' | 'hash' | 'other'

/** CPU seconds so far of each thread of `pid`, keyed by thread id. */
function threadSeconds(pid: number): Map<string, { kind: ThreadKind; seconds: number }> {
  const threads = new Map<string, { kind: ThreadKind; seconds: number }>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses: utime 11, stime 12, nice 16.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const kind: ThreadKind = tid === String(pid) ? 'main' : fields[16] === '10' ? 'hash' : 'other'
    threads.set(tid, { kind, seconds: (Number(fields[11]) + Number(fields[12])) / 100 })
  }
  return threads
}

const phase = process.argv[2] ?? ''
if (!['login', 'me-bearer', 'me-cookie'].includes(phase)) {
  console.error('usage: bench/thread-cpu.ts login|me-bearer|me-cookie')
  process.exit(2)
}
const port = Number(process.env['PORT'] ?? '3200')
const duration = Number(process.env['DURATION'] ?? '10')
const warmup = Number(process.env['WARMUP'] ?? '2')
const server = await startServer({ port, probePort: port + 100 })
const checks = newChecks()
try {
  const users = await registerMany(server.url, `cpu${Date.now().toString(36)}`, 16)
  const first = users[0]
  if (first === undefined) throw new Error('no account')
  const load: Load =
    phase === 'login'
      ? loginLoad(32, users, checks)
      : meLoad(
          32,
          await login(server.url, first),
          phase === 'me-bearer' ? 'bearer' : 'cookie',
          checks,
        )
  if (warmup > 0) await measure(server, { warmup: load }, warmup, 0)
  const before = threadSeconds(server.process.pid)
  const [result] = await measure(server, { [phase]: load }, duration, 0)
  const after = threadSeconds(server.process.pid)
  if (result === undefined) throw new Error('no result')
  const perRequest: Record<ThreadKind, number> = { main: 0, hash: 0, other: 0 }
  for (const [tid, now] of after) {
    perRequest[now.kind] += now.seconds - (before.get(tid)?.seconds ?? 0)
  }
  const us = (seconds: number): number => Math.round((seconds * 1e6) / result.total)
  console.log(
    JSON.stringify({
      checkout: process.cwd(),
      phase,
      rps: result.rps,
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
