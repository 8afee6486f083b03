import type { OneTimeTokenStore } from '../../core/ports.js'
import type {
  NewOneTimeToken,
  OneTimeTokenConsumeResult,
  OneTimeTokenPurpose,
} from '../../core/types.js'
import { parseScalarRecord, serializeScalarRecord, toHex } from './rows.js'
import { deleteExpiredRows } from './delete-expired.js'
import { atomically, type SqlContext } from './sql-context.js'

export class SqlOneTimeTokenStore implements OneTimeTokenStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async issue(
    token: NewOneTimeToken,
    options: { readonly voidOthers?: boolean } = {},
  ): Promise<void> {
    await atomically(this.#context, async ({ db }) => {
      if (options.voidOthers === true && token.userId !== null) {
        await voidUnused(db, token.userId, token.purpose, token.createdAt)
      }
      await db
        .insertInto('one_time_tokens')
        .values({
          token_hash: toHex(token.tokenHash),
          purpose: token.purpose,
          user_id: token.userId,
          email: token.email,
          data: serializeScalarRecord(token.data),
          created_at: token.createdAt.getTime(),
          expires_at: token.expiresAt.getTime(),
          used_at: null,
          voided_at: null,
        })
        .execute()
    })
  }

  /**
   * As with refresh tokens, a conditional UPDATE decides the race: only a usable token matches,
   * and a second caller re-checks the committed row and matches nothing (SEC-RESET-01).
   */
  async consume(
    tokenHash: Uint8Array,
    purpose: OneTimeTokenPurpose,
    now: Date,
  ): Promise<OneTimeTokenConsumeResult | null> {
    const hash = toHex(tokenHash)
    const nowMs = now.getTime()
    return atomically(this.#context, async ({ db }) => {
      const use = await db
        .updateTable('one_time_tokens')
        .set({ used_at: nowMs })
        .where('token_hash', '=', hash)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('voided_at', 'is', null)
        .where('expires_at', '>', nowMs)
        .executeTakeFirst()
      // A token presented for another purpose is unknown: a reset link is no verification link.
      const row = await db
        .selectFrom('one_time_tokens')
        .select(['user_id', 'email', 'data', 'used_at', 'voided_at'])
        .where('token_hash', '=', hash)
        .where('purpose', '=', purpose)
        .executeTakeFirst()
      if (row === undefined) return null
      if (use.numUpdatedRows === 1n) {
        const data = parseScalarRecord(row.data, 'token data')
        return { kind: 'consumed', userId: row.user_id, email: row.email, data }
      }
      if (row.used_at !== null) return { kind: 'used' }
      if (row.voided_at !== null) return { kind: 'voided' }
      return { kind: 'expired' }
    })
  }

  async voidForUser(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<number> {
    return voidUnused(this.#context.db, userId, purpose, now)
  }

  async deleteExpired(before: Date, limit: number): Promise<number> {
    return deleteExpiredRows(
      this.#context,
      { table: 'one_time_tokens', key: 'token_hash' },
      before.getTime(),
      limit,
    )
  }
}

async function voidUnused(
  db: SqlContext['db'],
  userId: string,
  purpose: OneTimeTokenPurpose,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('one_time_tokens')
    .set({ voided_at: now.getTime() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
