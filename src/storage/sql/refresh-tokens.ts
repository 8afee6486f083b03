import type {
  RefreshConsumeInput,
  RefreshTokenRecord,
  RefreshTokenStore,
} from '../../core/ports.js'
import type { NewRefreshToken, RefreshConsumeResult } from '../../core/types.js'
import { fromHex, toDateOrNull, toHex } from './rows.js'
import { PreparedQuery } from './prepared-query.js'
import { atomically, type SqlContext } from './sql-context.js'

// The statements of every login and every refresh (prepared-query.ts).
const SPEND = new PreparedQuery(({ db }, value) =>
  db
    .updateTable('refresh_tokens')
    .set({ spent_at: value<number>(0) })
    .where('token_hash', '=', value<string>(1))
    .where('spent_at', 'is', null)
    .where('expires_at', '>', value<number>(0)),
)
const FIND_LOCKED = new PreparedQuery(({ db, lockRows }, value) =>
  lockRows(
    db
      .selectFrom('refresh_tokens')
      .select(['session_id', 'spent_at'])
      .where('token_hash', '=', value<string>(0)),
  ),
)
const FIND_SESSION_OF = new PreparedQuery(({ db }, value) =>
  db.selectFrom('refresh_tokens').select('session_id').where('token_hash', '=', value<string>(0)),
)
const ISSUE = new PreparedQuery(({ db }, value) =>
  db.insertInto('refresh_tokens').values({
    token_hash: value(0),
    session_id: value(1),
    created_at: value(2),
    expires_at: value(3),
    spent_at: null,
  }),
)

export class SqlRefreshTokenStore implements RefreshTokenStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async issue(token: NewRefreshToken): Promise<void> {
    await ISSUE.execute(
      this.#context,
      toHex(token.tokenHash),
      token.sessionId,
      token.createdAt.getTime(),
      token.expiresAt.getTime(),
    )
  }

  async findByHash(tokenHash: Uint8Array): Promise<RefreshTokenRecord | null> {
    const row = await this.#context.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', toHex(tokenHash))
      .executeTakeFirst()
    if (row === undefined) return null
    return {
      tokenHash: fromHex(row.token_hash),
      sessionId: row.session_id,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
      spentAt: toDateOrNull(row.spent_at),
    }
  }

  /**
   * The conditional UPDATE is the race's referee: it only matches an unspent, unexpired token,
   * and a concurrent caller's UPDATE waits for the winner's row lock and then re-checks the
   * committed row (PostgreSQL and InnoDB READ COMMITTED; SQLite runs one writer at a time), so
   * exactly one caller changes the row. Everyone else reads what the winner left.
   *
   * A spent token is judged as spent even once it has also expired: a late replay of a stolen
   * token is still reported as reuse, so the caller still revokes the session.
   */
  async consume(input: RefreshConsumeInput): Promise<RefreshConsumeResult | null> {
    const presented = toHex(input.presentedHash)
    const now = input.now.getTime()
    return atomically(this.#context, async (context) => {
      const spend = await SPEND.execute(context, now, presented)
      const [row] = (await FIND_LOCKED.execute(context, presented)).rows
      if (row === undefined) return null
      const sessionId = row.session_id
      if (spend.numAffectedRows === 1n) {
        await this.#storeSuccessor(context, input, sessionId)
        return { kind: 'rotated', sessionId }
      }
      if (row.spent_at === null) return { kind: 'expired', sessionId }
      const graceStart = now - input.graceSeconds * 1000
      return { kind: row.spent_at >= graceStart ? 'grace' : 'reused', sessionId }
    })
  }

  // Core derives the successor from the presented token, so a successor that somehow exists
  // already on this session is the very token this call would store: keep it, don't fail.
  async #storeSuccessor(
    context: SqlContext,
    input: RefreshConsumeInput,
    sessionId: string,
  ): Promise<void> {
    const tokenHash = toHex(input.successor.tokenHash)
    const [existing] = (await FIND_SESSION_OF.execute(context, tokenHash)).rows
    if (existing !== undefined) {
      if (existing.session_id === sessionId) return
      throw new Error("refresh token successor collides with another session's token")
    }
    await ISSUE.execute(
      context,
      tokenHash,
      sessionId,
      input.successor.createdAt.getTime(),
      input.successor.expiresAt.getTime(),
    )
  }
}
