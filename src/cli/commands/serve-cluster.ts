// `latchkey serve --workers N`: N server processes (node:cluster) sharing the port, so the event
// loops use every core. Each worker gets its own password-hash pool of PASSWORD_HASH_THREADS / N
// threads (at least one), so the machine is never oversubscribed by N full-size pools.
//
// The primary serves nothing: it migrates the database and creates the secret key file first
// (so the workers never race to do either), starts the workers, restarts one that dies after it
// was listening, and on SIGTERM/SIGINT stops them all and waits for them to drain.
import cluster, { type Worker } from 'node:cluster'
import type { Config } from '../../config/config.js'
import type { Output } from '../output.js'
import { withRuntime } from '../runtime.js'
import { UsageError } from '../usage.js'

const MAX_WORKERS = 64

/**
 * In a cluster worker the IPC channel to the primary keeps the process alive after the server
 * has closed; let go of it so the worker exits once its requests are drained.
 */
export function leaveCluster(): void {
  if (cluster.isWorker && process.connected) process.disconnect()
}

export function parseWorkers(raw: string): number {
  const count = Number(raw)
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
    throw new UsageError(`serve: --workers expects a whole number from 1 to ${MAX_WORKERS}`)
  }
  return count
}

/** The environment of each worker: its share of the hash pool and of the pool's queue. */
export function workerEnv(config: Config, workers: number): Record<string, string> {
  return {
    PASSWORD_HASH_THREADS: String(Math.max(1, Math.floor(config.passwordHashThreads / workers))),
    PASSWORD_HASH_MAX_QUEUE: String(Math.max(1, Math.floor(config.passwordHashMaxQueue / workers))),
  }
}

export async function runServeCluster(
  config: Config,
  workers: number,
  output: Output,
): Promise<number> {
  // Migrations and the secret file, once, before any worker opens the database.
  await withRuntime(config, async () => undefined)
  if (config.auth.rateLimit) {
    // SEC-RATE-06: say it, never degrade silently.
    output.err(
      `latchkey: per-IP rate limits are counted in each of the ${workers} workers separately ` +
        '(per-account login throttling is in the database and shared)',
    )
  }
  cluster.setupPrimary({ args: ['serve'] })
  const env = workerEnv(config, workers)
  let stopping = false
  const listening = new WeakSet<Worker>()

  return new Promise<number>((resolve) => {
    let failed = false
    const fork = (): void => {
      const worker = cluster.fork(env)
      worker.once('listening', () => listening.add(worker))
    }
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping && listening.has(worker)) {
        output.err(`latchkey: worker ${worker.process.pid} died (${signal ?? code}), restarting`)
        fork()
        return
      }
      if (!stopping) {
        // It never got to listen (bad config, port taken): restarting would only loop.
        failed = true
        stop('startup failure')
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        process.off('SIGTERM', stop)
        process.off('SIGINT', stop)
        resolve(failed ? 1 : 0)
      }
    })
    function stop(reason: string): void {
      if (stopping) return
      stopping = true
      output.err(`latchkey: ${reason}, stopping ${workers} workers`)
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
    for (let i = 0; i < workers; i++) fork()
  })
}
