import type { ExpressionBuilder } from 'kysely'
import type { LoginThrottleStore } from '../../core/ports.js'
import type { LoginAttemptDecision, LoginThrottlePolicy } from '../../core/types.js'
import type { Database } from './schema.js'
import { atomically, deleteBatch, type SqlContext } from './sql-context.js'

/**
 * Per-key attempt counter with exponential delay. Semantics:
 * - while `locked_until > now` an attempt is refused with the remaining wait, and NOT counted
 *   (a locked-out attacker cannot push the delay further out; SEC-RATE-04);
 * - otherwise it is counted and allowed; once the count exceeds `freeAttempts`, the same attempt
 *   sets `locked_until = now + min(maxDelay, baseDelay · 2^(attempts − freeAttempts − 1))`.
 * So each unlocked moment admits exactly one attempt: of N simultaneous attempts on a fresh key,
 * exactly `freeAttempts + 1` are allowed (given `baseDelaySeconds > 0`).
 *
 * The count, the decision and the write happen under the key's row lock (SQLite: the write
 * lock), so parallel guesses are counted one by one, never read the same old count.
 */
export class SqlLoginThrottleStore implements LoginThrottleStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async registerAttempt(
    key: string,
    now: Date,
    policy: LoginThrottlePolicy,
  ): Promise<LoginAttemptDecision> {
    const nowMs = now.getTime()
    return atomically(this.#context, async (context) => {
      const row = await this.#lockRow(context, key, nowMs)
      if (row.locked_until !== null && row.locked_until > nowMs) {
        return { allowed: false, retryAfterSeconds: Math.ceil((row.locked_until - nowMs) / 1000) }
      }
      const attempts = row.attempts + 1
      const over = attempts - policy.freeAttempts
      const delaySeconds =
        over > 0 ? Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (over - 1)) : 0
      await context.db
        .updateTable('login_throttle')
        .set({
          attempts,
          locked_until: over > 0 ? nowMs + Math.ceil(delaySeconds * 1000) : row.locked_until,
          updated_at: nowMs,
        })
        .where('key', '=', key)
        .execute()
      return { allowed: true }
    })
  }

  async clear(key: string): Promise<void> {
    await this.#context.db.deleteFrom('login_throttle').where('key', '=', key).execute()
  }

  /**
   * The keys first, by `login_throttle_updated_at_idx`, then the rows, in one transaction. The
   * delete checks both conditions again: an attempt that lands in between keeps its row.
   */
  async deleteIdle(before: Date, now: Date, limit: number): Promise<number> {
    const cutoff = before.getTime()
    const nowMs = now.getTime()
    const idle = (eb: ExpressionBuilder<Database, 'login_throttle'>) =>
      eb.and([
        eb('updated_at', '<', cutoff),
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowMs)]),
      ])
    return atomically(this.#context, async ({ db }) => {
      const rows = await db
        .selectFrom('login_throttle')
        .select('key')
        .where(idle)
        .orderBy('updated_at')
        .limit(deleteBatch(limit))
        .execute()
      if (rows.length === 0) return 0
      const result = await db
        .deleteFrom('login_throttle')
        .where(
          'key',
          'in',
          rows.map((row) => row.key),
        )
        .where(idle)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  // Makes sure the row exists, then locks it. The insert is a no-op when the row is there; on
  // MySQL it is an upsert because ON DUPLICATE KEY takes the exclusive row lock at once, where
  // INSERT IGNORE would take a shared one and parallel lockers would deadlock upgrading it.
  // A concurrent clear() can delete the row between the two statements: then go round again.
  async #lockRow(
    { db, kind, lockRows }: SqlContext,
    key: string,
    nowMs: number,
  ): Promise<{ attempts: number; locked_until: number | null }> {
    for (;;) {
      const insert = db
        .insertInto('login_throttle')
        .values({ key, attempts: 0, locked_until: null, updated_at: nowMs })
      await (
        kind === 'mysql'
          ? insert.onDuplicateKeyUpdate({ key })
          : insert.onConflict((conflict) => conflict.column('key').doNothing())
      ).execute()
      const row = await lockRows(
        db.selectFrom('login_throttle').select(['attempts', 'locked_until']).where('key', '=', key),
      ).executeTakeFirst()
      if (row !== undefined) return row
    }
  }
}
