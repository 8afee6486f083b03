import type { WebAuthnStore } from '../../core/ports.js'
import type { WebAuthnCredential } from '../../core/types.js'
import { toDateOrNull } from './rows.js'
import type { WebAuthnCredentialsTable } from './schema.js'
import type { SqlContext } from './sql-context.js'

function parseTransports(text: string): string[] {
  const parsed: unknown = JSON.parse(text)
  if (!Array.isArray(parsed)) throw new TypeError('webauthn transports is not a JSON array')
  return parsed.filter((value): value is string => typeof value === 'string')
}

function toCredential(row: WebAuthnCredentialsTable): WebAuthnCredential {
  return {
    id: row.id,
    userId: row.user_id,
    publicKey: row.public_key,
    counter: row.counter,
    transports: parseTransports(row.transports),
    name: row.name,
    createdAt: new Date(row.created_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  }
}

export class SqlWebAuthnStore implements WebAuthnStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async add(credential: WebAuthnCredential): Promise<void> {
    await this.#context.db
      .insertInto('webauthn_credentials')
      .values({
        id: credential.id,
        user_id: credential.userId,
        public_key: credential.publicKey,
        counter: credential.counter,
        transports: JSON.stringify(credential.transports),
        name: credential.name,
        created_at: credential.createdAt.getTime(),
        last_used_at: credential.lastUsedAt?.getTime() ?? null,
      })
      .execute()
  }

  async findById(id: string): Promise<WebAuthnCredential | null> {
    const row = await this.#context.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toCredential(row)
  }

  async listForUser(userId: string): Promise<WebAuthnCredential[]> {
    const rows = await this.#context.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute()
    return rows.map(toCredential)
  }

  async recordUse(id: string, counter: number, now: Date): Promise<boolean> {
    // WebAuthn §6.1.1: a counter that did not grow may mean a cloned authenticator. Authenticators
    // without a counter always send 0, which stays acceptable.
    const result = await this.#context.db
      .updateTable('webauthn_credentials')
      .set({ counter, last_used_at: now.getTime() })
      .where('id', '=', id)
      .where((eb) => (counter === 0 ? eb('counter', '=', 0) : eb('counter', '<', counter)))
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.#context.db
      .deleteFrom('webauthn_credentials')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return result.numDeletedRows === 1n
  }
}
