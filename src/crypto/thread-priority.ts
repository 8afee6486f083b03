// Password hashing must never starve the event loop: on a saturated machine the kernel shares the
// cores fairly between the hash threads and the main thread, so session checks wait behind
// argon2id (the bench measured /auth/me p99 in the hundreds of ms during a login storm). Raising
// the hash threads' nice value makes the scheduler run the main thread first whenever it has
// work, while idle cores still hash at full speed. Linux only; elsewhere this is a no-op.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/** Nice value of the password-hash threads (0 normal, 19 lowest) unless PASSWORD_HASH_NICE says. */
export const HASH_THREAD_NICE = 10

/**
 * PASSWORD_HASH_NICE (0-19), read here rather than in config because it is a per-host scheduling
 * knob: on a box shared with other busy processes, niced hash threads also yield to *them*, so
 * an operator may want 0 there. Anything else falls back to the default.
 */
export function hashThreadNice(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['PASSWORD_HASH_NICE']
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw)
  return Number.isInteger(value) && value >= 0 && value <= 19 ? value : HASH_THREAD_NICE
}

/** Lowers the calling thread's scheduling priority; answers whether it could. */
export function lowerCurrentThreadPriority(nice: number = hashThreadNice()): boolean {
  if (nice === 0) return true
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>"; setpriority() on a TID affects that thread.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return false
    setPriority(tid, nice)
    return true
  } catch {
    return false // no /proc (macOS, Windows) or not permitted: run at normal priority
  }
}
