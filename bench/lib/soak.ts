// The memory soak: a mixed load (session checks, logins, refresh rotations) for SOAK_SECONDS while
// the server's RSS is sampled every second. "Flat" compares the median RSS of the last tenth of
// the run with that of the second tenth (the first tenth is warm-up: JIT, caches, pools).
import autocannon from 'autocannon'
import { summarize, type Load, type PhaseResult, type Target } from './load.ts'
import { sample } from './proc.ts'

export interface SoakResult {
  readonly seconds: number
  readonly rssEarlyMiB: number
  readonly rssLateMiB: number
  readonly rssMaxMiB: number
  readonly growthPercent: number
  readonly flatWithin10Percent: boolean
  readonly samples: number[]
  readonly phases: PhaseResult[]
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

export async function soak(
  target: Target,
  seconds: number,
  loads: Record<string, Load>,
): Promise<SoakResult> {
  const sampler = sample(target.pids, 1000)
  const results = await Promise.all(
    Object.entries(loads).map(async ([name, load]) => {
      const result = await autocannon({
        url: target.url,
        connections: load.connections,
        duration: seconds,
        timeout: 20,
        requests: load.requests,
      })
      return summarize(`soak: ${name}`, load, seconds, result)
    }),
  )
  const { rss } = sampler.stop()
  const tenth = Math.max(1, Math.floor(rss.length / 10))
  const early = median(rss.slice(tenth, 2 * tenth))
  const late = median(rss.slice(-tenth))
  const growth = early === 0 ? 0 : ((late - early) / early) * 100
  const rounded = (n: number): number => Math.round(n * 10) / 10
  console.log(
    `soak ${seconds}s: RSS ${rounded(early)} → ${rounded(late)} MiB (${rounded(growth)}%)`,
  )
  return {
    seconds,
    rssEarlyMiB: rounded(early),
    rssLateMiB: rounded(late),
    rssMaxMiB: rounded(Math.max(0, ...rss)),
    growthPercent: rounded(growth),
    flatWithin10Percent: Math.abs(growth) <= 10,
    samples: rss.map(rounded),
    phases: results,
  }
}
