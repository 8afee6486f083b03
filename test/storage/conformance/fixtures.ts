import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { afterEach, beforeEach } from 'node:test'
import { AuthError } from '../../../src/core/errors.ts'
import type { NewAuditEvent, NewSession, NewUser } from '../../../src/core/types.ts'
import type { ConformanceStore } from '../store-conformance.ts'

export interface StoreFixture {
  /** The store of the running test. */
  readonly store: ConformanceStore
}

/** Opens a fresh store before each test and closes (and drops) it after. */
export function storeFixture(openStore: () => Promise<ConformanceStore>): StoreFixture {
  let current: ConformanceStore | undefined
  beforeEach(async () => {
    current = await openStore()
  })
  afterEach(async () => {
    await current?.close()
    current = undefined
  })
  return {
    get store(): ConformanceStore {
      assert.ok(current, 'store is only open inside a test')
      return current
    },
  }
}

const T0 = Date.parse('2026-03-01T12:00:00.000Z')

/** A fixed instant `seconds` after the suite's epoch: tests pass time in, never read a clock. */
export function at(seconds: number): Date {
  return new Date(T0 + seconds * 1000)
}

export function randomHash(): Uint8Array {
  return new Uint8Array(randomBytes(32))
}

export function newId(): string {
  return randomUUID()
}

export function newUser(overrides: Partial<NewUser> = {}): NewUser {
  const id = newId()
  return {
    id,
    email: `${id}@example.test`,
    username: null,
    usernameKey: null,
    name: null,
    role: 'user',
    emailVerified: false,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
    profile: {},
    createdAt: at(0),
    ...overrides,
  }
}

export function newSession(userId: string, overrides: Partial<NewSession> = {}): NewSession {
  return {
    id: newId(),
    userId,
    secretHash: randomHash(),
    createdAt: at(0),
    lastSeenAt: at(0),
    expiresAt: at(3600),
    ip: '192.0.2.1',
    userAgent: 'conformance',
    ...overrides,
  }
}

export function newEvent(overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    id: newId(),
    at: at(0),
    type: 'user.login_succeeded',
    userId: null,
    actorId: null,
    sessionId: null,
    ip: '192.0.2.1',
    userAgent: 'conformance',
    data: {},
    ...overrides,
  }
}

/** Awaits a refusal and checks its code. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AuthError, `expected AuthError(${code}), got ${String(error)}`)
    assert.equal(error.code, code)
    return true
  })
}

/** Runs `n` copies of `work` at once and waits for all of them, successes and failures. */
export function concurrently<T>(
  n: number,
  work: (i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: n }, (_, i) => work(i)))
}

export function fulfilled<T>(results: PromiseSettledResult<T>[]): T[] {
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
}

export function rejected<T>(results: PromiseSettledResult<T>[]): unknown[] {
  return results.flatMap((r) => {
    if (r.status === 'fulfilled') return []
    const reason: unknown = r.reason
    return [reason]
  })
}
