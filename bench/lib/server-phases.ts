// The phases against the real server: one fresh server (single process or cluster) per call.
import { availableParallelism } from 'node:os'
import {
  login,
  loginLoad,
  meLoad,
  refreshLoad,
  registerLoad,
  registerMany,
  type Checks,
  type Session,
} from './flows.ts'
import { measure, type PhaseResult } from './load.ts'
import { startServer } from './server.ts'
import { soak, type SoakResult } from './soak.ts'

export interface PhaseSettings {
  readonly duration: number
  readonly warmup: number
  /** Seconds of logins thrown away before the login phase (the JIT settles by call count). */
  readonly loginWarmup: number
  readonly connections: number
  readonly stormConnections: number
  readonly overloadConnections: number
  readonly soakSeconds: number
}

/**
 * A baseline measured right before and right after the phases it is the ceiling of. The host's
 * speed drifts (the argon2id ceiling measured 111 and 131 hashes/s ten minutes apart on this VM),
 * so a ratio is taken against the mean of the two measurements that bracket its phases.
 */
export interface Bracket {
  readonly before: number
  readonly after: number
  readonly mean: number
}

export interface Baselines {
  /** Requests/s of the bare Fastify route. */
  readonly bare: () => Promise<number>
  /** argon2id hashes/s on every core. */
  readonly argon2: () => Promise<number>
}

export interface ServerResults {
  readonly workers: number
  readonly hashThreadsPerProcess: number
  readonly phases: PhaseResult[]
  readonly soak: SoakResult | null
  /** Around the login phase (argon2id) and around the two /auth/me phases (bare Fastify). */
  readonly brackets: { readonly argon2: Bracket; readonly bare: Bracket }
}

async function bracketed(
  baseline: () => Promise<number>,
  phases: () => Promise<void>,
): Promise<Bracket> {
  const before = await baseline()
  await phases()
  const after = await baseline()
  return { before, after, mean: Math.round(((before + after) / 2) * 10) / 10 }
}

/** The informative phase's name. */
export const ME_VIA_FASTIFY = 'me (bearer) via Fastify'

export async function runServerPhases(options: {
  readonly settings: PhaseSettings
  readonly checks: Checks
  readonly workers: number
  readonly port: number
  readonly probePort: number
  readonly baselines: Baselines
}): Promise<ServerResults> {
  const { settings, checks, workers } = options
  const server = await startServer(options)
  const log = (phase: PhaseResult): void =>
    console.log(
      `[${workers > 0 ? `${workers} workers` : 'single'}] ${phase.name}: ${phase.rps} req/s, ` +
        `p50 ${phase.p50} ms, p99 ${phase.p99} ms, non2xx ${phase.non2xx}, ` +
        `eld p99 ${phase.eventLoopDelay?.p99 ?? '-'} ms, cores ${phase.serverCores}, ` +
        `steal ${phase.stealPercent ?? '-'}%`,
    )
  const phases: PhaseResult[] = []
  const run = async (loads: Parameters<typeof measure>[1], warmup = settings.warmup) => {
    const results = await measure(server, loads, settings.duration, warmup)
    results.forEach(log)
    phases.push(...results)
  }
  try {
    const base = server.url
    const tag = `${workers}-${Date.now().toString(36)}`
    // Accounts first (by the API, through the real hash pool). With the default one-session-per-
    // user policy each concurrent session needs its own account.
    const [meUser] = await registerMany(base, `me${tag}`, 1)
    const loginUsers = await registerMany(base, `login${tag}`, 16)
    const refreshUsers = await registerMany(base, `refresh${tag}`, settings.connections)
    if (meUser === undefined) throw new Error('no account')
    const me: Session = await login(base, meUser)
    const c = settings.connections

    if (workers === 0) await run({ register: registerLoad(c, tag) })
    const argon2 = await bracketed(options.baselines.argon2, () =>
      run({ login: loginLoad(c, loginUsers, checks) }, settings.loginWarmup),
    )
    const bare = await bracketed(options.baselines.bare, async () => {
      await run({ 'me (bearer)': meLoad(c, me, 'bearer', checks) })
      await run({ 'me (cookie)': meLoad(c, me, 'cookie', checks) })
      // Informative, not a target: the same check through Fastify's pipeline, as an app that
      // mounts the plugin gets it (the lane is the standalone server's).
      if (workers === 0) {
        await run({ [ME_VIA_FASTIFY]: meLoad(c, me, 'bearer', checks, '/auth/me?via=fastify') })
      }
    })
    if (workers === 0) {
      // No warm-up: a rotation cut off at the end of a warm-up would leave a spent token behind.
      const sessions = await Promise.all(refreshUsers.map((email) => login(base, email)))
      await run({ refresh: refreshLoad(sessions, checks) }, 0)
    }
    // The storm: enough logins to keep every hash thread busy, within the pool's queue.
    await run({
      'storm: login': loginLoad(settings.stormConnections, loginUsers, checks),
      'storm: me (bearer)': meLoad(c, me, 'bearer', checks),
    })
    // Overload: more logins than the pool holds; the excess is shed with 503 + Retry-After and
    // autocannon retries at once (a client that ignores Retry-After), so this is a flood.
    await run({
      'overload: login': loginLoad(settings.overloadConnections, loginUsers, checks),
      'overload: me (bearer)': meLoad(c, me, 'bearer', checks),
    })
    const soakResult =
      settings.soakSeconds > 0
        ? await soak(server, settings.soakSeconds, {
            me: meLoad(Math.max(1, c / 2), await login(base, meUser), 'bearer', checks),
            login: loginLoad(4, loginUsers, checks),
            refresh: refreshLoad(
              await Promise.all(refreshUsers.slice(0, 8).map((email) => login(base, email))),
              checks,
            ),
          })
        : null
    return {
      workers,
      hashThreadsPerProcess: Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers))),
      phases,
      soak: soakResult,
      brackets: { argon2, bare },
    }
  } finally {
    await server.stop()
  }
}
