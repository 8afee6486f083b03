// Child processes for the bench: start one, wait until it answers HTTP, sample its RSS and CPU
// from /proc (Linux), stop it by its own PID.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

export interface Started {
  readonly child: ChildProcess
  readonly pid: number
  /** Everything the process wrote, for the error message if it dies. */
  readonly log: () => string
  stop(): Promise<void>
}

export async function startProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  timeoutMs = 30_000,
): Promise<Started> {
  const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early:\n${output}`)
    try {
      const response = await fetch(readyUrl)
      await response.arrayBuffer()
      break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`no answer from ${readyUrl} after ${timeoutMs} ms:\n${output}`)
      }
      await sleep(100)
    }
  }
  if (child.pid === undefined) throw new Error('no pid')
  return { child, pid: child.pid, log: () => output, stop }
}

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

/** RSS in MiB of the process and its descendants' own RSS is not included (threads are). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  return match?.[1] === undefined ? 0 : Number(match[1]) / 1024
}

/** CPU seconds (user + system) used so far by the process (all its threads). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/**
 * The machine's CPU ticks so far, all cores together, and the part of them the hypervisor gave to
 * other guests (`steal`, /proc/stat's eighth column). On this VM the host's speed drifts, and a
 * phase measured while a third of the ticks are stolen answers at a fraction of its speed.
 */
export function hostTicks(): { steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? ''
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number)
  return { steal: ticks[7] ?? 0, total: ticks.reduce((sum, tick) => sum + tick, 0) }
}

export interface Sampler {
  /**
   * Stops sampling; answers the RSS samples (MiB), the cores used on average and the share of the
   * machine's CPU time stolen by the hypervisor meanwhile (%).
   */
  stop(): { rss: number[]; cores: number; stealPercent: number }
}

/** Samples RSS every `everyMs` over all `pids` (summed: a cluster is the primary plus workers). */
export function sample(pids: () => readonly number[], everyMs = 500): Sampler {
  const rss: number[] = []
  const cpu = (): number => pids().reduce((sum, pid) => sum + safe(() => cpuSeconds(pid)), 0)
  const cpuStart = cpu()
  const hostStart = safeTicks()
  const started = process.hrtime.bigint()
  const timer = setInterval(() => {
    rss.push(pids().reduce((sum, pid) => sum + safe(() => rssMiB(pid)), 0))
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const host = safeTicks()
      const total = host.total - hostStart.total
      const stealPercent = total > 0 ? ((host.steal - hostStart.steal) / total) * 100 : 0
      return { rss, cores: (cpu() - cpuStart) / seconds, stealPercent }
    },
  }
}

function safeTicks(): { steal: number; total: number } {
  try {
    return hostTicks()
  } catch {
    return { steal: 0, total: 0 } // no /proc/stat (not Linux): reported as 0
  }
}

function safe(read: () => number): number {
  try {
    return read()
  } catch {
    return 0 // the process (a cluster worker) went away between listing and reading
  }
}

/** The PIDs of `pid` and its children (cluster workers), from /proc. */
export function withChildren(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '')
      .map(Number)
    return [pid, ...children]
  } catch {
    return [pid]
  }
}
