// The audit log's hash chain. Each event stores the previous event's hash and its own hash over
// that value plus every column, so editing a row breaks its hash, deleting one breaks the next
// row's prev_hash, and cutting the tail leaves the chain head pointing past the last row.
// Without a key this catches edits made by hand or by a bug, not an attacker who recomputes the
// whole chain.
import { createHash } from 'node:crypto'
import type { AuditEventsTable } from './schema.js'

/** The prev_hash of the first event. Frozen: changing it would break every stored chain. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64)

const CHAIN_VERSION = 'latchkey-audit-v1'

/** SHA-256 (hex) over prev_hash and the columns, as stored, in a fixed order. */
export function hashAuditRow(row: Omit<AuditEventsTable, 'hash'>): string {
  // A JSON array of strings, integers and nulls has exactly one serialisation.
  const fields = [
    CHAIN_VERSION,
    row.prev_hash,
    row.seq,
    row.id,
    row.at,
    row.type,
    row.user_id,
    row.actor_id,
    row.session_id,
    row.ip,
    row.user_agent,
    row.data,
  ]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}
