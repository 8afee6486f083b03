// Password hashing must never starve the event loop: on a saturated machine the kernel shares the
// cores fairly between the hash threads and the main thread, so session checks wait behind
// argon2id (the bench measured /auth/me p99 in the hundreds of ms during a login storm). Raising
// the hash threads' nice value makes the scheduler run the main thread first whenever it has
// work, while idle cores still hash at full speed. Linux only; elsewhere this is a no-op.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/** Nice value of the password-hash threads (0 normal, 19 lowest). */
export const HASH_THREAD_NICE = 10

/** Lowers the calling thread's scheduling priority; answers whether it could. */
export function lowerCurrentThreadPriority(nice: number = HASH_THREAD_NICE): boolean {
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
