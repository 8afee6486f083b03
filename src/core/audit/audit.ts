import { generateId } from '../../crypto/random.js'
import type { AuditSink, Clock, Store, StoreTx } from '../ports.js'
import type { AuditEvent, AuditEventType, RequestContext } from '../types.js'

export interface AuditInput {
  readonly type: AuditEventType
  readonly userId?: string | null
  readonly actorId?: string | null
  readonly sessionId?: string | null
  /** Facts only: never a password, token, secret or code. */
  readonly data?: AuditEvent['data']
}

export type RecordAuditEvent = (input: AuditInput) => Promise<void>

const MAX_USER_AGENT = 512

/**
 * Runs a change and the audit events that record it in one transaction, so there is never a
 * change without its event nor an event without its change. `record` collects an event; they are
 * all appended when the change's work is done, still inside its transaction. The optional file
 * sink is written only after the commit.
 */
export class AuditTrail {
  readonly #store: Store
  readonly #clock: Clock
  readonly #sink: AuditSink | undefined

  constructor(store: Store, clock: Clock, sink: AuditSink | undefined) {
    this.#store = store
    this.#clock = clock
    this.#sink = sink
  }

  async transaction<T>(
    ctx: RequestContext,
    fn: (tx: StoreTx, record: RecordAuditEvent) => Promise<T>,
  ): Promise<T> {
    const written: AuditEvent[] = []
    const result = await this.#store.transaction(async (tx) => {
      written.length = 0 // a retried transaction starts its list again
      const value = await fn(tx, (input) => {
        written.push(this.#build(input, ctx))
        return Promise.resolve()
      })
      // Appended together after the change itself: the chain head is locked last and only
      // once, however many events the change records.
      await tx.audit.append(...written)
      return value
    })
    for (const event of written) this.#sink?.write(event)
    return result
  }

  #build(input: AuditInput, ctx: RequestContext): AuditEvent {
    return {
      id: generateId(),
      at: this.#clock.now(),
      type: input.type,
      userId: input.userId ?? null,
      actorId: input.actorId ?? null,
      sessionId: input.sessionId ?? null,
      ip: ctx.ip,
      userAgent: ctx.userAgent === null ? null : ctx.userAgent.slice(0, MAX_USER_AGENT),
      data: input.data ?? {},
    }
  }
}
