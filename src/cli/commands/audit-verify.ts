import type { Config } from '../../config/config.js'
import { openSqlStore } from '../../storage/sql/open-store.js'
import type { Output } from '../output.js'
import { printable } from '../runtime.js'

/**
 * `latchkey audit verify`: walks the audit log's hash chain. Exit 0 with the number of events
 * when it is unbroken; exit 1 with one line naming the first event that does not fit (edited,
 * or following a deleted one) or saying that the newest events are gone.
 * Opens only the store, without migrating: checking the log must not change the database.
 */
export async function runAuditVerify(config: Config, output: Output): Promise<number> {
  const store = await openSqlStore(config.databaseUrl)
  try {
    const verdict = await store.audit.verifyChain()
    if (verdict.ok) {
      output.out(`audit log intact: ${verdict.count} events, hash chain unbroken`)
      return 0
    }
    output.err(
      `audit log BROKEN at event ${printable(verdict.brokenAtId)} (${verdict.count} events before it verify): ${verdict.reason}`,
    )
    return 1
  } finally {
    await store.close()
  }
}
