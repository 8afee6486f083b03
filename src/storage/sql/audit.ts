import type { AuditChainVerdict, AuditStore } from '../../core/ports.js'
import {
  AUDIT_EVENT_TYPES,
  type AuditEvent,
  type AuditEventType,
  type AuditQuery,
  type NewAuditEvent,
  type Page,
} from '../../core/types.js'
import { AUDIT_GENESIS_HASH, hashAuditRow } from './audit-chain.js'
import { parseScalarRecord, serializeScalarRecord } from './rows.js'
import type { AuditEventsTable } from './schema.js'
import { atomically, type SqlContext } from './sql-context.js'

const MAX_PAGE = 1_000
const VERIFY_BATCH = 500

function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value)
}

function toAuditEvent(row: AuditEventsTable): AuditEvent {
  if (!isAuditEventType(row.type)) throw new TypeError(`unknown audit event type ${row.type}`)
  return {
    id: row.id,
    at: new Date(row.at),
    type: row.type,
    userId: row.user_id,
    actorId: row.actor_id,
    sessionId: row.session_id,
    ip: row.ip,
    userAgent: row.user_agent,
    data: parseScalarRecord(row.data, 'audit data'),
  }
}

export class SqlAuditStore implements AuditStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  /**
   * Appends under a lock on the one-row chain head (SQLite: the write lock), so concurrent
   * appends line up and the chain never forks. The lock is held until the caller's transaction
   * ends: append last in a transaction, which keeps the wait short and the lock order (user row,
   * then chain head) the same everywhere.
   */
  async append(event: NewAuditEvent): Promise<void> {
    await atomically(this.#context, async ({ db, lockRows }) => {
      const head = await lockRows(
        db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1),
      ).executeTakeFirstOrThrow()
      const unhashed: Omit<AuditEventsTable, 'hash'> = {
        seq: head.seq + 1,
        id: event.id,
        at: event.at.getTime(),
        type: event.type,
        user_id: event.userId,
        actor_id: event.actorId,
        session_id: event.sessionId,
        ip: event.ip,
        user_agent: event.userAgent,
        data: serializeScalarRecord(event.data),
        prev_hash: head.hash,
      }
      const hash = hashAuditRow(unhashed)
      await db
        .insertInto('audit_events')
        .values({ ...unhashed, hash })
        .execute()
      await db
        .updateTable('audit_chain_head')
        .set({ seq: unhashed.seq, hash })
        .where('id', '=', 1)
        .execute()
    })
  }

  /** Newest first. `since` is inclusive, `until` exclusive; the cursor is the last event's id. */
  async query(query: AuditQuery): Promise<Page<AuditEvent>> {
    const { db } = this.#context
    const limit = Math.max(1, Math.min(query.limit, MAX_PAGE))
    let select = db.selectFrom('audit_events').selectAll()
    if (query.type !== undefined) select = select.where('type', '=', query.type)
    if (query.userId !== undefined) select = select.where('user_id', '=', query.userId)
    if (query.since !== undefined) select = select.where('at', '>=', query.since.getTime())
    if (query.until !== undefined) select = select.where('at', '<', query.until.getTime())
    if (query.cursor !== undefined) {
      // An unknown cursor gives NULL here, and `seq < NULL` matches nothing: an empty page.
      const cursor = query.cursor
      select = select.where('seq', '<', (eb) =>
        eb.selectFrom('audit_events').select('seq').where('id', '=', cursor),
      )
    }
    const rows = await select
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute()
    const items = rows.slice(0, limit).map(toAuditEvent)
    const nextCursor = rows.length > limit ? (items.at(-1)?.id ?? null) : null
    return { items, nextCursor }
  }

  async verifyChain(): Promise<AuditChainVerdict> {
    const { db } = this.#context
    // The head first: events appended while we walk lie beyond it and are left for next time.
    const head = await db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
    let prevHash = AUDIT_GENESIS_HASH
    let lastSeq = 0
    let lastId = ''
    for (;;) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>', lastSeq)
        .where('seq', '<=', head.seq)
        .orderBy('seq', 'asc')
        .limit(VERIFY_BATCH)
        .execute()
      for (const row of rows) {
        const count = lastSeq
        // A deleted event shows as the next one pointing at a hash that is not its predecessor's.
        if (row.prev_hash !== prevHash || row.seq !== lastSeq + 1) {
          return {
            ok: false,
            count,
            brokenAtId: row.id,
            reason: 'previous event missing or changed',
          }
        }
        const { hash, ...unhashed } = row
        if (hashAuditRow(unhashed) !== hash) {
          return { ok: false, count, brokenAtId: row.id, reason: 'event content changed' }
        }
        prevHash = hash
        lastSeq = row.seq
        lastId = row.id
      }
      if (rows.length < VERIFY_BATCH) break
    }
    if (lastSeq !== head.seq || prevHash !== head.hash) {
      return { ok: false, count: lastSeq, brokenAtId: lastId, reason: 'latest events missing' }
    }
    return { ok: true, count: lastSeq }
  }
}
