import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Auth } from '../../src/core/auth-api.ts'
import type { AuthSettings } from '../../src/core/auth-options.ts'
import { createAuth } from '../../src/core/auth.ts'
import type { PasswordHasher, Store } from '../../src/core/ports.ts'
import type { RequestContext } from '../../src/core/types.ts'
import { createPasswordHasher } from '../../src/crypto/password-hash.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import { MemoryRateLimiter } from '../../src/storage/memory/rate-limiter.ts'
import { FakeClock } from './fake-clock.ts'

export const req: RequestContext = { ip: '127.0.0.1', userAgent: 'node-test' }

export function testSettings(overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    issuer: 'http://localhost:3000',
    audience: 'latchkey',
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 7 * 86400,
    sessionIdleTimeoutSeconds: 7 * 86400,
    sessionMaxAgeSeconds: 30 * 86400,
    refreshReuseGraceSeconds: 10,
    sessionPolicy: { kind: 'single' },
    passwordMinLength: 15,
    passwordMaxLength: 128,
    profileFields: [
      { name: 'company', type: 'string', required: false },
      { name: 'age', type: 'number', required: false },
    ],
    requireEmailVerification: false,
    emailVerificationTtlSeconds: 86_400,
    passwordResetTtlSeconds: 1800,
    rateLimit: true,
    loginThrottle: { freeAttempts: 5, baseDelaySeconds: 1, maxDelaySeconds: 900 },
    ...overrides,
  }
}

/** Counts calls on the real hasher (no mock: the work is done). */
export interface CountingHasher extends PasswordHasher {
  readonly calls: { hash: number; verify: number; dummy: number }
}

function countingHasher(inner: PasswordHasher): CountingHasher {
  const calls = { hash: 0, verify: 0, dummy: 0 }
  return {
    calls,
    hash: (p) => (calls.hash++, inner.hash(p)),
    verify: (h, p, signal) => (calls.verify++, inner.verify(h, p, signal)),
    verifyDummy: (p, signal) => (calls.dummy++, inner.verifyDummy(p, signal)),
    close: () => inner.close(),
  }
}

export interface CoreHarness {
  readonly auth: Auth
  readonly store: Store
  readonly clock: FakeClock
  readonly hasher: CountingHasher
  close(): Promise<void>
}

/** createAuth over the real SQLite store in a temporary directory, with a settable clock. */
export async function makeCore(overrides: Partial<AuthSettings> = {}): Promise<CoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-core-'))
  const store = await openSqlStore(`sqlite:${join(dir, 'core.db')}`, { migrate: true })
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'))
  const hasher = countingHasher(createPasswordHasher({ threads: 2, maxQueue: 1000 }))
  const auth = await createAuth({
    settings: testSettings(overrides),
    store,
    hasher,
    rateLimiter: new MemoryRateLimiter(),
    secret: new Uint8Array(32).fill(7),
    clock,
  })
  return {
    auth,
    store,
    clock,
    hasher,
    async close() {
      await auth.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const strongPassword = 'violet-harbour-lantern-1987'
