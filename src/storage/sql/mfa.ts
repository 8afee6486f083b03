import type { MfaStore } from '../../core/ports.js'
import type { TotpFactor } from '../../core/types.js'
import { toDateOrNull, toHex } from './rows.js'
import { atomically, lockUserRow, type SqlContext } from './sql-context.js'

const CODE_CHUNK = 100

export class SqlMfaStore implements MfaStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async findTotp(userId: string): Promise<TotpFactor | null> {
    const row = await this.#context.db
      .selectFrom('totp_factors')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (row === undefined) return null
    return {
      userId: row.user_id,
      secretEncrypted: row.secret_encrypted,
      enabledAt: toDateOrNull(row.enabled_at),
      lastUsedStep: row.last_used_step,
      createdAt: new Date(row.created_at),
    }
  }

  async savePendingTotp(userId: string, secretEncrypted: string, now: Date): Promise<boolean> {
    return atomically(this.#context, async (context) => {
      const { db } = context
      // The user's row lock serialises two set-ups racing to insert the first factor.
      await lockUserRow(context, userId)
      const current = await db
        .selectFrom('totp_factors')
        .select('enabled_at')
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (current?.enabled_at != null) return false
      if (current !== undefined) {
        await db
          .updateTable('totp_factors')
          .set({
            secret_encrypted: secretEncrypted,
            created_at: now.getTime(),
            last_used_step: null,
          })
          .where('user_id', '=', userId)
          .execute()
      } else {
        await db
          .insertInto('totp_factors')
          .values({
            user_id: userId,
            secret_encrypted: secretEncrypted,
            enabled_at: null,
            last_used_step: null,
            created_at: now.getTime(),
          })
          .execute()
      }
      return true
    })
  }

  async acceptTotpStep(userId: string, step: number): Promise<boolean> {
    // SEC-MFA-03: compare-and-set on the last step; a replayed or older code matches no row.
    const result = await this.#context.db
      .updateTable('totp_factors')
      .set({ last_used_step: step })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  async enableTotp(userId: string, now: Date): Promise<boolean> {
    return atomically(this.#context, async ({ db }) => {
      const result = await db
        .updateTable('totp_factors')
        .set({ enabled_at: now.getTime() })
        .where('user_id', '=', userId)
        .where('enabled_at', 'is', null)
        .executeTakeFirst()
      if (result.numUpdatedRows !== 1n) return false
      await db
        .updateTable('users')
        .set({ mfa_enabled: 1, updated_at: now.getTime() })
        .where('id', '=', userId)
        .execute()
      return true
    })
  }

  async disableTotp(userId: string): Promise<void> {
    await atomically(this.#context, async ({ db }) => {
      await db.deleteFrom('totp_factors').where('user_id', '=', userId).execute()
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
      await db.updateTable('users').set({ mfa_enabled: 0 }).where('id', '=', userId).execute()
    })
  }

  async replaceRecoveryCodes(
    userId: string,
    codeHashes: readonly Uint8Array[],
    now: Date,
  ): Promise<void> {
    const rows = codeHashes.map((hash) => ({
      user_id: userId,
      code_hash: toHex(hash),
      created_at: now.getTime(),
      used_at: null,
    }))
    // SEC-MFA-06: the old set dies in the same step the new one is born.
    await atomically(this.#context, async ({ db }) => {
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
      for (let i = 0; i < rows.length; i += CODE_CHUNK) {
        await db
          .insertInto('recovery_codes')
          .values(rows.slice(i, i + CODE_CHUNK))
          .execute()
      }
    })
  }

  async useRecoveryCode(userId: string, codeHash: Uint8Array, now: Date): Promise<boolean> {
    const result = await this.#context.db
      .updateTable('recovery_codes')
      .set({ used_at: now.getTime() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', toHex(codeHash))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  async countRecoveryCodes(userId: string): Promise<number> {
    const row = await this.#context.db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
