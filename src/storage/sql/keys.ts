import type { KeyStore, StoredSigningKey } from '../../core/ports.js'
import type { SqlContext } from './sql-context.js'

export class SqlKeyStore implements KeyStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  /** Newest first: the first key is the one to sign with. */
  async listSigningKeys(): Promise<StoredSigningKey[]> {
    const rows = await this.#context.db
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute()
    return rows.map((row) => {
      if (row.alg !== 'EdDSA') throw new TypeError(`signing key ${row.kid} has alg ${row.alg}`)
      return {
        kid: row.kid,
        alg: row.alg,
        publicJwk: row.public_jwk,
        privateJwkEncrypted: row.private_jwk_encrypted,
        createdAt: new Date(row.created_at),
      }
    })
  }

  async addSigningKey(key: StoredSigningKey): Promise<void> {
    await this.#context.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: key.publicJwk,
        private_jwk_encrypted: key.privateJwkEncrypted,
        created_at: key.createdAt.getTime(),
      })
      .execute()
  }
}
