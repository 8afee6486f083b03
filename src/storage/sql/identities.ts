import type { IdentityStore, UnlinkResult } from '../../core/ports.js'
import type { ExternalIdentity } from '../../core/types.js'
import { violatedUniqueKey } from './errors.js'
import {
  EXTERNAL_IDENTITIES_ISSUER_SUBJECT_UNIQUE,
  type ExternalIdentitiesTable,
} from './schema.js'
import { atomically, type SqlContext } from './sql-context.js'

function toIdentity(row: ExternalIdentitiesTable): ExternalIdentity {
  return {
    id: row.id,
    userId: row.user_id,
    issuer: row.issuer,
    subject: row.subject,
    provider: row.provider,
    email: row.email,
    createdAt: new Date(row.created_at),
  }
}

export class SqlIdentityStore implements IdentityStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async link(identity: ExternalIdentity): Promise<boolean> {
    const { db, kind } = this.#context
    const insert = db.insertInto('external_identities').values({
      id: identity.id,
      user_id: identity.userId,
      issuer: identity.issuer,
      subject: identity.subject,
      provider: identity.provider,
      email: identity.email,
      created_at: identity.createdAt.getTime(),
    })
    if (kind !== 'mysql') {
      // ON CONFLICT, not a caught error: on PostgreSQL a failed statement ends the transaction.
      const result = await insert
        .onConflict((conflict) => conflict.columns(['issuer', 'subject']).doNothing())
        .executeTakeFirst()
      return result.numInsertedOrUpdatedRows === 1n
    }
    // MySQL has no "do nothing on this key"; INSERT IGNORE would also swallow other errors (a
    // missing user). A duplicate there ends only the statement, so catching it is safe.
    try {
      await insert.execute()
      return true
    } catch (error) {
      if (violatedUniqueKey(error) === EXTERNAL_IDENTITIES_ISSUER_SUBJECT_UNIQUE) return false
      throw error
    }
  }

  async findByIssuerSubject(issuer: string, subject: string): Promise<ExternalIdentity | null> {
    const row = await this.#context.db
      .selectFrom('external_identities')
      .selectAll()
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst()
    return row === undefined ? null : toIdentity(row)
  }

  async listForUser(userId: string): Promise<ExternalIdentity[]> {
    const rows = await this.#context.db
      .selectFrom('external_identities')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute()
    return rows.map(toIdentity)
  }

  async unlinkUnlessLast(userId: string, id: string): Promise<UnlinkResult> {
    return atomically(this.#context, async ({ db, lockRows }) => {
      // The user's row lock serialises every unlink of this user (as in sessions.ts and mfa.ts):
      // the second of two concurrent unlinks counts what the first left behind.
      const user = await lockRows(
        db.selectFrom('users').select('password_hash').where('id', '=', userId),
      ).executeTakeFirst()
      if (user === undefined) return { kind: 'not_found' }
      const row = await db
        .selectFrom('external_identities')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (row === undefined) return { kind: 'not_found' }
      const others = await db
        .selectFrom('external_identities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('id', '!=', id)
        .executeTakeFirstOrThrow()
      const passkeys = await db
        .selectFrom('webauthn_credentials')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
      const hasOtherWayIn =
        user.password_hash !== null || Number(others.n) > 0 || Number(passkeys.n) > 0
      if (!hasOtherWayIn) return { kind: 'last_sign_in' }
      await db.deleteFrom('external_identities').where('id', '=', id).execute()
      return { kind: 'unlinked', identity: toIdentity(row) }
    })
  }

  async unlink(userId: string, id: string): Promise<boolean> {
    const result = await this.#context.db
      .deleteFrom('external_identities')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return result.numDeletedRows === 1n
  }
}
