// Runs inside a piscina worker thread: argon2id and bcrypt are CPU-bound for tens of
// milliseconds, so they never run on the event loop, nor on libuv's pool (which WebCrypto and
// file I/O need).
import { hashSync, verifySync } from '@node-rs/argon2'
import { compareSync as verifyBcryptSync } from 'bcryptjs'
import { lowerCurrentThreadPriority } from './thread-priority.js'

export type PasswordTask =
  | { readonly op: 'hash'; readonly password: string; readonly params: Argon2Params }
  | { readonly op: 'verify'; readonly hash: string; readonly password: string }

export interface Argon2Params {
  readonly memoryCost: number
  readonly timeCost: number
  readonly parallelism: number
}

// @node-rs/argon2 declares Algorithm as a const enum, which verbatimModuleSyntax cannot import.
const ARGON2ID = 2

// This module is loaded once per pool thread: from here on the thread yields to the event loop.
lowerCurrentThreadPriority()

export default function runPasswordTask(task: PasswordTask): string | boolean {
  if (task.op === 'hash') {
    return hashSync(task.password, { algorithm: ARGON2ID, ...task.params })
  }
  if (/^\$2[aby]\$/.test(task.hash)) return verifyBcryptSync(task.password, task.hash)
  if (task.hash.startsWith('$argon2')) {
    try {
      return verifySync(task.hash, task.password)
    } catch {
      return false // a malformed stored hash verifies nothing
    }
  }
  return false
}
