// One measured load phase: a warm-up that is thrown away, then autocannon for a fixed time while
// the server's CPU, RSS and event-loop delay (from bench/lib/eld-probe.mjs) are recorded.
import autocannon, { type RequestSpec, type Result } from 'autocannon'
import { sample } from './proc.ts'

export interface Target {
  readonly url: string
  /** PIDs whose CPU and RSS count as the server's (primary + cluster workers). */
  readonly pids: () => readonly number[]
  /** Ports of the event-loop-delay probes (one per serving process). */
  readonly probePorts: readonly number[]
}

export interface Load {
  readonly connections: number
  readonly requests: RequestSpec[]
}

export interface EventLoopDelay {
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly mean: number
}

export interface PhaseResult {
  readonly name: string
  readonly connections: number
  readonly seconds: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly total: number
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
  readonly status: Record<string, number>
  readonly serverCores?: number
  readonly rssMaxMiB?: number
  /** Share of the machine's CPU time the hypervisor stole during the phase (proc.ts). */
  readonly stealPercent?: number
  readonly eventLoopDelay?: EventLoopDelay
}

function run(url: string, load: Load, seconds: number): Promise<Result> {
  return Promise.resolve(
    autocannon({
      url,
      connections: load.connections,
      duration: seconds,
      timeout: 20,
      requests: load.requests,
      // autocannon rebuilds per-request bodies ([<id>]) only when the top-level flag is set.
      idReplacement: load.requests.some((request) => request.idReplacement === true),
    }),
  )
}

export function summarize(name: string, load: Load, seconds: number, result: Result): PhaseResult {
  const status: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats)) status[code] = stats.count
  return {
    name,
    connections: load.connections,
    seconds,
    rps: Math.round((result.requests.total / result.duration) * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status,
  }
}

async function probe(ports: readonly number[], path: string): Promise<EventLoopDelay | undefined> {
  const answers = await Promise.all(
    ports.map(async (port) => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`)
        return (await response.json()) as EventLoopDelay // written by eld-probe.mjs
      } catch {
        return undefined
      }
    }),
  )
  const found = answers.filter((a): a is EventLoopDelay => a !== undefined)
  if (found.length === 0) return undefined
  // The worst serving process is the one a client feels.
  const worst = (key: keyof EventLoopDelay): number => Math.max(...found.map((a) => a[key]))
  return { p50: worst('p50'), p99: worst('p99'), max: worst('max'), mean: worst('mean') }
}

/** Runs the loads at the same time (e.g. a login storm and session checks); one result each. */
export async function measure(
  target: Target,
  loads: Record<string, Load>,
  seconds: number,
  warmupSeconds: number,
): Promise<PhaseResult[]> {
  const entries = Object.entries(loads)
  if (warmupSeconds > 0) {
    await Promise.all(entries.map(([, load]) => run(target.url, load, warmupSeconds)))
  }
  await probe(target.probePorts, '/reset')
  const sampler = sample(target.pids)
  const results = await Promise.all(entries.map(([, load]) => run(target.url, load, seconds)))
  const { rss, cores, stealPercent } = sampler.stop()
  const eventLoopDelay = await probe(target.probePorts, '/')
  return entries.map(([name, load], index) => {
    const result = results[index]
    if (result === undefined) throw new Error('autocannon gave no result')
    return {
      ...summarize(name, load, seconds, result),
      serverCores: Math.round(cores * 100) / 100,
      rssMaxMiB: Math.round(Math.max(0, ...rss)),
      stealPercent: Math.round(stealPercent),
      ...(eventLoopDelay === undefined ? {} : { eventLoopDelay }),
    }
  })
}
