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
import { PreparedQuery } from './prepared-query.js'
import { atomically, type SqlContext } from './sql-context.js'

const MAX_PAGE = 1_000
const VERIFY_BATCH = 500
// 12 columns a row: 500 rows stay far below every driver's parameter limit.
const INSERT_CHUNK = 500

// The statements of every audited change (prepared-query.ts).
const LOCK_HEAD = new PreparedQuery(({ db, lockRows }) =>
  lockRows(db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1)),
)
const MOVE_HEAD = new PreparedQuery(({ db }, value) =>
  db
    .updateTable('audit_chain_head')
    .set({ seq: value<number>(0), hash: value<string>(1) })
    .where('id', '=', 1),
)
const AUDIT_COLUMNS = [
  'seq',
  'id',
  'at',
  'type',
  'user_id',
  'actor_id',
  'session_id',
  'ip',
  'user_agent',
  'data',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditEventsTable)[]
// A change records one or two events (a login that ends another session: two); more are rare
// and go through the builder.
const PREPARED_INSERT_ROWS = 4
const INSERT_ROWS = Array.from({ length: PREPARED_INSERT_ROWS + 1 }, (_, count) =>
  count === 0
    ? null
    : new PreparedQuery(({ db }, value) =>
        db.insertInto('audit_events').values(
          Array.from({ length: count }, (_row, r) => {
            const row: Record<string, unknown> = {}
            AUDIT_COLUMNS.forEach((column, c) => {
              row[column] = value(r * AUDIT_COLUMNS.length + c)
            })
            return row as unknown as AuditEventsTable // every column set just above
          }),
        ),
      ),
)

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
   * then chain head) the same everywhere. Several events cost one head read, one insert per
   * chunk and one head update: a login that ends another session records two.
   */
  async append(...events: NewAuditEvent[]): Promise<void> {
    if (events.length === 0) return
    await atomically(this.#context, async (context) => {
      const [locked] = (await LOCK_HEAD.execute(context)).rows
      if (locked === undefined) throw new Error('the audit chain head row is missing')
      let head = locked
      const rows: AuditEventsTable[] = []
      for (const event of events) {
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
        rows.push({ ...unhashed, hash })
        head = { seq: unhashed.seq, hash }
      }
      const prepared = INSERT_ROWS[rows.length]
      if (prepared !== undefined && prepared !== null) {
        await prepared.execute(context, ...rows.flatMap((row) => AUDIT_COLUMNS.map((c) => row[c])))
      } else {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await context.db
            .insertInto('audit_events')
            .values(rows.slice(i, i + INSERT_CHUNK))
            .execute()
        }
      }
      await MOVE_HEAD.execute(context, head.seq, head.hash)
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
