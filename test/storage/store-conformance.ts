// The one suite every Store adapter passes (Lucia's adapter-test, Kysely's DIALECTS): the same
// tests, races included, against real SQLite, PostgreSQL and MariaDB.
import { describe } from 'node:test'
import type { Store } from '../../src/core/ports.ts'
import { describeAudit } from './conformance/audit.ts'
import { describeFactorsAndTokens } from './conformance/factors-and-tokens.ts'
import type { StoreFixture } from './conformance/fixtures.ts'
import { describeIdentities } from './conformance/identities.ts'
import { storeFixture } from './conformance/fixtures.ts'
import { describeRefreshTokens } from './conformance/refresh-tokens.ts'
import { describeSessions } from './conformance/sessions.ts'
import { describeThrottleAndKeys } from './conformance/throttle-and-keys.ts'
import { describeUsers } from './conformance/users.ts'

/** Test hooks that damage the audit log the way someone with database access could. */
export interface AuditTamper {
  /** Overwrites the stored data (JSON text) of one event. */
  editAuditData(id: string, data: string): Promise<void>
  deleteAuditEvent(id: string): Promise<void>
}

/** A store in a database of its own; `close()` also throws that database away. */
export interface ConformanceStore extends Store {
  readonly tamper: AuditTamper
}

export type { StoreFixture }

/**
 * Registers the conformance suite. `openStore` is called before every test and must return a
 * store over an empty, migrated database. `skip` (a reason) skips the whole suite.
 */
export function describeStoreConformance(
  name: string,
  openStore: () => Promise<ConformanceStore>,
  options: { readonly skip?: string | false } = {},
): void {
  describe(`Store conformance: ${name}`, { skip: options.skip ?? false }, () => {
    const fixture = storeFixture(openStore)
    describeUsers(fixture)
    describeSessions(fixture)
    describeRefreshTokens(fixture)
    describeAudit(fixture)
    describeThrottleAndKeys(fixture)
    describeFactorsAndTokens(fixture)
    describeIdentities(fixture)
  })
}
