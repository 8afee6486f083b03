import { randomBytes } from 'node:crypto'
import { Piscina } from 'piscina'
import { AuthError } from '../core/errors.js'
import type { PasswordHasher, PasswordVerifyResult } from '../core/ports.js'
import { AbandonedTaskError, AdmissionQueue, QueueFullError } from './admission-queue.js'
import type { Argon2Params, PasswordTask } from './password-worker.js'

/** OWASP Password Storage Cheat Sheet / ASVS 5.0 App. C: argon2id, 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 }

export interface PasswordHasherOptions {
  /** Worker threads; the default is one per core. */
  readonly threads: number
  /**
   * Tasks allowed to wait beyond the ones the threads hold; past it callers get
   * `service_unavailable` instead of piling up.
   */
  readonly maxQueue: number
  readonly params?: Argon2Params
}

/** Is `hash` argon2id at least as strong as `params`? Anything else is upgraded at next login. */
export function isCurrentArgon2Hash(hash: string, params: Argon2Params = ARGON2_PARAMS): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash)
  if (!match) return false
  const [, m, t, p] = match.map(Number)
  return (
    m !== undefined &&
    t !== undefined &&
    p !== undefined &&
    m >= params.memoryCost &&
    t >= params.timeCost &&
    p >= params.parallelism
  )
}

/**
 * With two or more threads, each holds its next task, so it starts it the moment a hash ends
 * instead of waiting for a busy event loop to hand it over: +11% logins/s on two cores
 * (docs/decisions/008, tenth pass). With one thread per process (`serve --workers 2` on two
 * cores) holding measured worse, lower logins/s and a 2-3× p99, so a lone thread does not hold.
 */
export function tasksPerThread(threads: number): number {
  return threads > 1 ? 2 : 1
}

function workerFile(): URL {
  // Under tsx (tests, development) this module is a .ts file and so is its worker.
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  return new URL(`./password-worker${extension}`, import.meta.url)
}

/** The worker-pool hasher; `queueDepth` feeds the metrics (hashes waiting for a free thread). */
export interface WorkerPasswordHasher extends PasswordHasher {
  queueDepth(): number
}

export function createPasswordHasher(options: PasswordHasherOptions): WorkerPasswordHasher {
  const params = options.params ?? ARGON2_PARAMS
  const perThread = tasksPerThread(options.threads)
  const pool = new Piscina<PasswordTask, string | boolean>({
    filename: workerFile().href,
    minThreads: options.threads,
    maxThreads: options.threads,
    concurrentTasksPerWorker: perThread,
    idleTimeout: Number.POSITIVE_INFINITY,
  })
  // Piscina is handed only what its threads hold; everything else waits here, where a login
  // whose client has gone away is dropped before it costs a hash (admission-queue.ts).
  const queue = new AdmissionQueue<PasswordTask, string | boolean>(
    options.threads * perThread,
    options.maxQueue,
    (task) => pool.run(task),
  )
  let closed = false
  let dummyHash: Promise<string> | undefined

  function busy(cause?: unknown): AuthError {
    return new AuthError('service_unavailable', {
      detail: 'The server is busy checking passwords; try again shortly.',
      retryAfterSeconds: 1,
      ...(cause === undefined ? {} : { cause }),
    })
  }

  async function run(task: PasswordTask, signal?: AbortSignal): Promise<string | boolean> {
    if (closed) throw busy()
    try {
      return await queue.run(task, signal)
    } catch (error) {
      // A full queue refuses at once: shed load rather than queue for seconds. Piscina fails
      // every task still running when the pool is destroyed at shutdown, and close() refuses the
      // waiting ones: those callers get the same 503, which asks them to come back, not a 500.
      if (
        error instanceof QueueFullError ||
        (error instanceof Error && /terminating worker thread/i.test(error.message))
      )
        throw busy(error)
      // Nobody is left to read the answer; a 503 all the same, should anything still try.
      if (error instanceof AbandonedTaskError) {
        throw new AuthError('service_unavailable', {
          detail: 'The request was abandoned before its password was checked.',
          retryAfterSeconds: 1,
          cause: error,
        })
      }
      throw error
    }
  }

  async function hash(password: string): Promise<string> {
    const result = await run({ op: 'hash', password, params })
    if (typeof result !== 'string') throw new Error('password worker returned no hash')
    return result
  }

  return {
    hash,
    queueDepth: () => queue.waiting,
    async verify(
      storedHash: string,
      password: string,
      signal?: AbortSignal,
    ): Promise<PasswordVerifyResult> {
      const valid = (await run({ op: 'verify', hash: storedHash, password }, signal)) === true
      return { valid, needsRehash: valid && !isCurrentArgon2Hash(storedHash, params) }
    },
    async verifyDummy(password: string, signal?: AbortSignal): Promise<void> {
      dummyHash ??= hash(randomBytes(32).toString('base64url'))
      await run({ op: 'verify', hash: await dummyHash, password }, signal)
    },
    // Every slot busy and the queue full: the next task would be refused anyway.
    saturated: () => queue.full,
    async close(): Promise<void> {
      closed = true
      queue.rejectWaiting(busy())
      await pool.destroy()
    },
  }
}
