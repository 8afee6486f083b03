import { sql, type Kysely } from 'kysely'
import { AuthError } from '../../core/errors.js'
import type { SessionCache, Store, StoreTx } from '../../core/ports.js'
import { SqlAuditStore } from './audit.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { SqlIdentityStore } from './identities.js'
import { SqlKeyStore } from './keys.js'
import { SqlLoginThrottleStore } from './login-throttle.js'
import { SqlMfaStore } from './mfa.js'
import { SqlOneTimeTokenStore } from './one-time-tokens.js'
import { SqlRefreshTokenStore } from './refresh-tokens.js'
import type { Database } from './schema.js'
import { SqlSessionStore } from './sessions.js'
import { SqliteSessionCache } from './sqlite-session-cache.js'
import { runTransaction, type SqlContext } from './sql-context.js'
import { SqlUserStore } from './users.js'
import { SqlWebAuthnStore } from './webauthn.js'

const PING_TIMEOUT_MS = 2_000

function bindTx(context: SqlContext): StoreTx {
  return {
    users: new SqlUserStore(context),
    sessions: new SqlSessionStore(context),
    refreshTokens: new SqlRefreshTokenStore(context),
    audit: new SqlAuditStore(context),
    oneTimeTokens: new SqlOneTimeTokenStore(context),
    mfa: new SqlMfaStore(context),
    webauthn: new SqlWebAuthnStore(context),
    identities: new SqlIdentityStore(context),
  }
}

/**
 * The `Store` on SQLite, PostgreSQL or MySQL/MariaDB: one Kysely implementation, the dialect
 * differences kept in `dialects/`. Open it with `openSqlStore(url)`.
 *
 * Inside `transaction(fn)` use only `tx`: on SQLite the store has one connection, so calling the
 * outer store from `fn` waits for the transaction that is waiting for it. A driver error inside
 * a transaction (such as `email_taken`) ends it on PostgreSQL: let it propagate.
 */
export class SqlStore implements Store {
  /** For the CLI (`db copy`) and tests; core never sees it. */
  readonly db: Kysely<Database>
  readonly kind: SqlDialect['kind']
  readonly users: StoreTx['users']
  readonly sessions: StoreTx['sessions']
  readonly refreshTokens: StoreTx['refreshTokens']
  readonly audit: StoreTx['audit']
  readonly oneTimeTokens: StoreTx['oneTimeTokens']
  readonly mfa: StoreTx['mfa']
  readonly webauthn: StoreTx['webauthn']
  readonly identities: StoreTx['identities']
  readonly loginThrottle: SqlLoginThrottleStore
  readonly keys: SqlKeyStore
  readonly #context: SqlContext
  readonly #dataVersion: (() => number) | undefined

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.db = db
    this.kind = dialect.kind
    this.#dataVersion = dialect.dataVersion
    this.#context = { db, kind: dialect.kind, lockRows: dialect.lockRows }
    const tx = bindTx(this.#context)
    this.users = tx.users
    this.sessions = tx.sessions
    this.refreshTokens = tx.refreshTokens
    this.audit = tx.audit
    this.oneTimeTokens = tx.oneTimeTokens
    this.mfa = tx.mfa
    this.webauthn = tx.webauthn
    this.identities = tx.identities
    this.loginThrottle = new SqlLoginThrottleStore(this.#context)
    this.keys = new SqlKeyStore(this.#context)
  }

  /**
   * An in-process session cache that needs no other service, where this database can tell when
   * another connection wrote (SQLite); null elsewhere, where only Redis offers one.
   */
  processSessionCache(): SessionCache | null {
    return this.#dataVersion === undefined ? null : new SqliteSessionCache(this.#dataVersion)
  }

  /**
   * A real database transaction. When the database picks it as a deadlock victim it is rolled
   * back whole and `fn` runs again (at most three times in all), so keep `fn` to store calls.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return runTransaction(this.db, (trx) => fn(bindTx({ ...this.#context, db: trx })))
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new AuthError('service_unavailable', { retryAfterSeconds: 1, detail: 'ping timed out' }),
        )
      }, PING_TIMEOUT_MS)
    })
    try {
      await Promise.race([sql`select 1`.execute(this.db), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
