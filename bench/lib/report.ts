// The Markdown table of one bench run, with ratios to the baselines measured in the same run.
import type { PhaseResult } from './load.ts'
import { ME_VIA_FASTIFY, type ServerResults } from './server-phases.ts'
import type { Checks } from './flows.ts'

export interface BenchReport {
  readonly stamp: string
  readonly machine: { cores: number; cpu: string; node: string; loadavgAtEnd: number[] }
  readonly settings: Record<string, number>
  readonly baselines: {
    readonly bare: PhaseResult
    /** The bare route answering /auth/me's body and headers: informative, not a target. */
    readonly bareWithHeaders?: PhaseResult
    /** The bare route on the cluster's number of workers: informative, not a target. */
    readonly bareCluster?: PhaseResult | undefined
    readonly argon2: { threads: number; perSecond: number; oneMs: number; seconds: number }
  }
  readonly single: ServerResults
  readonly cluster: ServerResults | null
  readonly checks: Checks
  readonly elapsedSeconds: number
}

const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`
const verdict = (ok: boolean): string => (ok ? '**met**' : '**missed**')

function find(results: ServerResults | null, name: string): PhaseResult | undefined {
  return results?.phases.find((phase) => phase.name === name)
}

function row(label: string, phase: PhaseResult, ratio: string): string {
  const eld = phase.eventLoopDelay
  const status = Object.entries(phase.status)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ')
  return `| ${label} | ${phase.name} | ${phase.connections} | ${phase.rps} | ${phase.p50} | ${phase.p99} | ${status} | ${ratio} | ${eld === undefined ? '-' : `${eld.p99}`} | ${phase.serverCores ?? '-'} | ${phase.rssMaxMiB ?? '-'} | ${phase.stealPercent ?? '-'} |`
}

// The login and /auth/me phases have baselines measured right around them (their bracket);
// storm and overload phases are compared with the run's first baselines.
function ceilings(
  report: BenchReport,
  results: ServerResults,
  phase: string,
): { argon2: number; bare: number } {
  const bracketed =
    phase === 'login' ||
    phase === 'me (bearer)' ||
    phase === 'me (cookie)' ||
    phase === ME_VIA_FASTIFY
  return bracketed
    ? { argon2: results.brackets.argon2.mean, bare: results.brackets.bare.mean }
    : { argon2: report.baselines.argon2.perSecond, bare: report.baselines.bare.rps }
}

function ratioFor(phase: PhaseResult, report: BenchReport, results: ServerResults): string {
  const ceiling = ceilings(report, results, phase.name)
  if (phase.name.includes('login')) return `${pct(phase.rps / ceiling.argon2)} of argon2id`
  if (phase.name.includes('me')) return `${pct(phase.rps / ceiling.bare)} of bare`
  return ''
}

function targets(results: ServerResults, label: string): string[] {
  const bare = { rps: results.brackets.bare.mean }
  const argon2 = { perSecond: results.brackets.argon2.mean }
  const lines: string[] = []
  const me = find(results, 'me (bearer)')
  const cookie = find(results, 'me (cookie)')
  const loginPhase = find(results, 'login')
  const storm = find(results, 'storm: me (bearer)')
  if (me !== undefined) {
    const r = me.rps / bare.rps
    lines.push(
      `| ${label} | /auth/me (bearer) ≥ 70% of bare Fastify | ${pct(r)} | ${verdict(r >= 0.7)} |`,
    )
  }
  if (cookie !== undefined) {
    const r = cookie.rps / bare.rps
    lines.push(
      `| ${label} | /auth/me (cookie) ≥ 70% of bare Fastify | ${pct(r)} | ${verdict(r >= 0.7)} |`,
    )
  }
  if (loginPhase !== undefined) {
    const r = loginPhase.rps / argon2.perSecond
    lines.push(`| ${label} | login ≥ 85% of argon2id ceiling | ${pct(r)} | ${verdict(r >= 0.85)} |`)
  }
  if (storm !== undefined) {
    lines.push(
      `| ${label} | /auth/me p99 < 25 ms during login storm | ${storm.p99} ms | ${verdict(storm.p99 < 25)} |`,
    )
    const eld = storm.eventLoopDelay
    if (eld !== undefined) {
      lines.push(
        `| ${label} | event-loop delay p99 < 20 ms during storm | ${eld.p99} ms | ${verdict(eld.p99 < 20)} |`,
      )
    }
  }
  if (results.soak !== null) {
    const s = results.soak
    lines.push(
      `| ${label} | RSS flat (±10%) over ${s.seconds} s mixed soak | ${s.rssEarlyMiB} → ${s.rssLateMiB} MiB (${s.growthPercent}%) | ${verdict(s.flatWithin10Percent)} |`,
    )
  }
  return lines
}

function clusterShare(results: ServerResults, bareCluster: PhaseResult): string {
  const share = (name: string): string => {
    const phase = find(results, name)
    return phase === undefined ? '-' : pct(phase.rps / bareCluster.rps)
  }
  return `${share('me (bearer)')} (bearer) and ${share('me (cookie)')} (cookie)`
}

export function renderMarkdown(report: BenchReport): string {
  const { bare, bareWithHeaders, bareCluster, argon2 } = report.baselines
  const head =
    '| server | phase | conns | req/s | p50 ms | p99 ms | status | ratio | loop delay p99 ms | server cores | RSS max MiB | host steal % |\n|---|---|---|---|---|---|---|---|---|---|---|---|'
  const rows = [row('baseline', bare, '100% (HTTP ceiling)')]
  if (bareWithHeaders !== undefined) {
    rows.push(row('baseline', bareWithHeaders, `${pct(bareWithHeaders.rps / bare.rps)} of bare`))
  }
  if (bareCluster !== undefined) {
    rows.push(row('baseline', bareCluster, `${pct(bareCluster.rps / bare.rps)} of bare`))
  }
  for (const results of [report.single, report.cluster]) {
    if (results === null) continue
    const label = results.workers === 0 ? 'single process' : `--workers ${results.workers}`
    for (const phase of results.phases)
      rows.push(row(label, phase, ratioFor(phase, report, results)))
    for (const phase of results.soak?.phases ?? []) rows.push(row(label, phase, ''))
  }
  const targetRows = [
    ...targets(report.single, 'single process'),
    ...(report.cluster === null
      ? []
      : targets(report.cluster, `--workers ${report.cluster.workers}`)),
  ]
  return [
    `# Latchkey bench ${report.stamp}`,
    '',
    `${report.machine.cores} cores (${report.machine.cpu}), Node ${report.machine.node}, load average at the end ${report.machine.loadavgAtEnd.join(' ')}. ` +
      `Settings: ${JSON.stringify(report.settings)}. Run took ${report.elapsedSeconds} s. ` +
      'Loopback only; the load generator (autocannon) runs on the same cores as the server.',
    '',
    `Baselines in this run: bare Fastify **${bare.rps} req/s** (p99 ${bare.p99} ms); argon2id (m=19456, t=2, p=1) **${argon2.perSecond.toFixed(1)} hashes/s** on ${argon2.threads} threads (${argon2.seconds} s; one hash alone ${argon2.oneMs} ms).`,
    ...(bareWithHeaders === undefined
      ? []
      : [
          '',
          `Informative, not a target: the same bare route answering what a warm /auth/me puts on the wire (its ~260-byte user object, the security headers the spec requires, an X-Request-Id) ran at **${bareWithHeaders.rps} req/s, ${pct(bareWithHeaders.rps / bare.rps)} of the bare route**: the rest of the way to 100% is spent on the wire format before any authentication.`,
        ]),
    ...(bareCluster === undefined || report.cluster === null
      ? []
      : [
          '',
          `Informative, not a target: the bare route on ${report.cluster.workers} node:cluster workers, as \`serve --workers\` runs, answered **${bareCluster.rps} req/s, ${pct(bareCluster.rps / bare.rps)} of the single-process bare route** (the workers and autocannon share the two cores). Against it, the cluster's /auth/me came out at ${clusterShare(report.cluster, bareCluster)}.`,
        ]),
    '',
    'Measured again right before and after the phases they are ceilings of; the targets use the mean of that bracket:',
    '',
    '| server | baseline | before | after | mean (used) |',
    '|---|---|---|---|---|',
    ...[report.single, report.cluster].flatMap((results) => {
      if (results === null) return []
      const label = results.workers === 0 ? 'single process' : `--workers ${results.workers}`
      const { argon2: a, bare: b } = results.brackets
      return [
        `| ${label} | argon2id hashes/s (around login) | ${a.before.toFixed(1)} | ${a.after.toFixed(1)} | ${a.mean} |`,
        `| ${label} | bare Fastify req/s (around /auth/me) | ${b.before} | ${b.after} | ${b.mean} |`,
      ]
    }),
    '',
    '## Targets',
    '',
    '| server | target | measured | verdict |',
    '|---|---|---|---|',
    ...targetRows,
    '',
    '## Phases',
    '',
    head,
    ...rows,
    '',
    `Checks: /auth/me 200s without the user's email: ${report.checks.wrongBody}; logins shed with 503 + Retry-After: ${report.checks.shedWithRetryAfter}, 503 without Retry-After: ${report.checks.shedWithoutRetryAfter}.`,
    '',
    `The /auth/me phases are answered by the server's warm lane (src/http/warm-me-lane.ts), before Fastify's router; "${ME_VIA_FASTIFY}" (informative, not a target) is the same check through Fastify's pipeline, as an app that mounts the plugin runs it.`,
    '',
  ].join('\n')
}
