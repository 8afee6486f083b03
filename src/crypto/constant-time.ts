import { timingSafeEqual } from 'node:crypto'

/** Compares two byte strings without leaking where they differ; unequal lengths are unequal. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  return timingSafeEqual(a, b)
}
