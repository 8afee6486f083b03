import type { SessionStore } from '../../core/ports.js'
import type { NewSession, RevokeReason, Session, User } from '../../core/types.js'
import { SESSION_COLUMNS, toHex, toSession, toUser } from './rows.js'
import type { CompiledQuery, Kysely } from 'kysely'
import type { Database, SessionsTable } from './schema.js'
import { PreparedQuery } from './prepared-query.js'
import { deleteExpiredRows } from './delete-expired.js'
import { atomically, lockUserRow, type SqlContext } from './sql-context.js'

function findWithUserQuery(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .select([
      'u.email as u_email',
      'u.username as u_username',
      'u.username_key as u_username_key',
      'u.name as u_name',
      'u.role as u_role',
      'u.email_verified as u_email_verified',
      'u.mfa_enabled as u_mfa_enabled',
      'u.disabled as u_disabled',
      'u.password_hash as u_password_hash',
      'u.profile as u_profile',
      'u.created_at as u_created_at',
      'u.updated_at as u_updated_at',
    ])
    .where('s.id', '=', id)
}

type FindWithUserRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof findWithUserQuery>['executeTakeFirst']>>
>

// Keeps `id in (...)` lists well below every driver's parameter limit.
const REVOKE_CHUNK = 500

// The statements of every login (prepared-query.ts).
const INSERT_SESSION = new PreparedQuery(({ db }, value) =>
  db.insertInto('sessions').values({
    id: value(0),
    user_id: value(1),
    secret_hash: value(2),
    created_at: value(3),
    last_seen_at: value(4),
    expires_at: value(5),
    ip: value(6),
    user_agent: value(7),
    revoked_at: null,
    revoke_reason: null,
  }),
)
const ACTIVE_SESSION_IDS = new PreparedQuery(({ db, lockRows }, value) =>
  lockRows(
    db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', value<string>(0))
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', value<number>(1)),
  ),
)
const REVOKE_ONE = new PreparedQuery(({ db }, value) =>
  db
    .updateTable('sessions')
    .set({ revoked_at: value<number>(0), revoke_reason: value<RevokeReason>(1) })
    .where('id', '=', value<string>(2)),
)

export class SqlSessionStore implements SessionStore {
  readonly #context: SqlContext
  #findWithUser: CompiledQuery<FindWithUserRow> | undefined

  constructor(context: SqlContext) {
    this.#context = context
  }

  async create(session: NewSession): Promise<Session> {
    const row: SessionsTable = {
      id: session.id,
      user_id: session.userId,
      secret_hash: toHex(session.secretHash),
      created_at: session.createdAt.getTime(),
      last_seen_at: session.lastSeenAt.getTime(),
      expires_at: session.expiresAt.getTime(),
      ip: session.ip,
      user_agent: session.userAgent,
      revoked_at: null,
      revoke_reason: null,
    }
    await INSERT_SESSION.execute(
      this.#context,
      row.id,
      row.user_id,
      row.secret_hash,
      row.created_at,
      row.last_seen_at,
      row.expires_at,
      row.ip,
      row.user_agent,
    )
    return toSession(row)
  }

  async findById(id: string): Promise<Session | null> {
    const row = await this.#context.db
      .selectFrom('sessions')
      .select(SESSION_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toSession(row)
  }

  async findWithUser(id: string): Promise<{ session: Session; user: User } | null> {
    // The hot path (every authenticated request): one indexed join, not two round trips. Built
    // and compiled once per store: Kysely's builder and compiler cost more main-thread time than
    // the lookup itself (bench profile, ~20% of a /auth/me request); only the id changes.
    this.#findWithUser ??= findWithUserQuery(this.#context.db, '').compile()
    const compiled = this.#findWithUser
    const row =
      compiled.parameters.length === 1
        ? (await this.#context.db.executeQuery<FindWithUserRow>({ ...compiled, parameters: [id] }))
            .rows[0]
        : await findWithUserQuery(this.#context.db, id).executeTakeFirst()
    if (row === undefined) return null
    const user = toUser({
      id: row.user_id,
      email: row.u_email,
      username: row.u_username,
      username_key: row.u_username_key,
      name: row.u_name,
      role: row.u_role,
      email_verified: row.u_email_verified,
      mfa_enabled: row.u_mfa_enabled,
      disabled: row.u_disabled,
      password_hash: row.u_password_hash,
      profile: row.u_profile,
      created_at: row.u_created_at,
      updated_at: row.u_updated_at,
    })
    return { session: toSession(row), user }
  }

  async touch(id: string, lastSeenAt: Date): Promise<void> {
    const at = lastSeenAt.getTime()
    // Only forward: a slow request finishing late must not move last_seen_at back.
    await this.#context.db
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('id', '=', id)
      .where('last_seen_at', '<', at)
      .execute()
  }

  async revoke(id: string, reason: RevokeReason, now: Date): Promise<boolean> {
    // The `revoked_at is null` guard makes the UPDATE its own compare-and-set: of two
    // concurrent calls, the second re-checks the committed row and changes nothing.
    const result = await this.#context.db
      .updateTable('sessions')
      .set({ revoked_at: now.getTime(), revoke_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  /**
   * Locks the user's row first (FOR NO KEY UPDATE / FOR UPDATE; SQLite's write lock), so that
   * transactions doing "revoke all, then create" for one user run one after another and the
   * last one sees every session the others created: under the `single` policy exactly one
   * survives. Call it before creating the new session in the same transaction.
   */
  async revokeAllForUser(
    userId: string,
    reason: RevokeReason,
    now: Date,
    exceptId?: string,
  ): Promise<string[]> {
    return atomically(this.#context, async (context) => {
      const { db } = context
      await lockUserRow(context, userId)
      const active = await ACTIVE_SESSION_IDS.execute(context, userId, now.getTime())
      const ids = active.rows.map((row) => row.id).filter((id) => id !== exceptId)
      if (ids.length === 1 && ids[0] !== undefined) {
        // The usual case (one session per user): a prepared statement, not a built list.
        await REVOKE_ONE.execute(context, now.getTime(), reason, ids[0])
        return ids
      }
      for (let i = 0; i < ids.length; i += REVOKE_CHUNK) {
        await db
          .updateTable('sessions')
          .set({ revoked_at: now.getTime(), revoke_reason: reason })
          .where('id', 'in', ids.slice(i, i + REVOKE_CHUNK))
          .execute()
      }
      return ids
    })
  }

  async listActiveForUser(userId: string, now: Date): Promise<Session[]> {
    const rows = await this.#context.db
      .selectFrom('sessions')
      .select(SESSION_COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    return rows.map(toSession)
  }

  /** Refresh tokens go with their sessions, by their foreign key's `on delete cascade`. */
  async deleteExpired(before: Date, limit: number): Promise<number> {
    return deleteExpiredRows(
      this.#context,
      { table: 'sessions', key: 'id' },
      before.getTime(),
      limit,
    )
  }
}
