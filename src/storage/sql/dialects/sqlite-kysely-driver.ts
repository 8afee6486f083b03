// Kysely's SQLite driver, rewritten for two things it cannot do: acknowledge a write only once it
// is on disk without blocking the event loop on fsync (group commit, wal-sync.ts; checkpoints in
// a thread of their own, wal-checkpointer.ts), and keep prepared statements (Kysely prepares
// every query anew, which on the hot path cost about as much as running it). One connection, one
// mutex, as in Kysely's own driver: transactions run one at a time within a process.
import {
  CompiledQuery,
  SelectQueryNode,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely'
import type { BetterSqlite3 } from './sqlite-driver.js'
import { CHECKPOINT_FRAMES, SAFETY_NET_FRAMES, type WalCheckpointer } from './wal-checkpointer.js'
import type { WalIndexHeader } from './wal-index-header.js'
import type { WalSync } from './wal-sync.js'

const STATEMENT_CACHE_SIZE = 256

class SqliteConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database
  readonly #statements = new Map<string, BetterSqlite3.Statement>()
  // A statement that changes the database ran since the last commit point.
  #wrote = false
  /** A write has been committed (COMMIT, or a statement outside a transaction) and not synced. */
  committedUnsynced = false

  constructor(db: BetterSqlite3.Database) {
    this.#db = db
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(query.sql)
    const parameters = query.parameters as unknown[] // bound as given; guarded-dialect checked them
    try {
      if (statement.reader) {
        return Promise.resolve({ rows: statement.all(parameters) as R[] })
      }
      const { changes, lastInsertRowid } = statement.run(parameters)
      return Promise.resolve({
        numAffectedRows: BigInt(changes),
        insertId: BigInt(lastInsertRowid),
        rows: [],
      })
    } finally {
      this.#noteWrite(statement, query.sql)
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) {
      throw new Error('the SQLite driver streams select queries only')
    }
    const statement = this.#prepare(query.sql)
    for (const row of statement.iterate(query.parameters)) {
      yield { rows: [row as R] }
    }
  }

  // `readonly` is false for INSERT/UPDATE/DELETE (RETURNING included) and true for BEGIN and
  // COMMIT, so a write is noted where it runs and counted as committed once no transaction is
  // open any more. A ROLLBACK leaves nothing to make durable.
  #noteWrite(statement: BetterSqlite3.Statement, sql: string): void {
    if (!statement.readonly) this.#wrote = true
    if (this.#db.inTransaction) return
    if (this.#wrote && sql !== 'rollback') this.committedUnsynced = true
    this.#wrote = false
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.#db.prepare(sql)
      // `in (?, ?, …)` lists make new texts; a full cache starts over rather than grow.
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear()
      this.#statements.set(sql, statement)
    }
    return statement
  }
}

class ConnectionMutex {
  #held: Promise<void> | null = null
  #release: (() => void) | null = null

  async lock(): Promise<void> {
    while (this.#held !== null) await this.#held
    this.#held = new Promise((resolve) => {
      this.#release = resolve
    })
  }

  unlock(): void {
    const release = this.#release
    this.#held = null
    this.#release = null
    release?.()
  }
}

export interface SqliteDriverOptions {
  readonly open: () => BetterSqlite3.Database
  /** Null for `:memory:`, which has nothing to make durable. */
  readonly walSync: WalSync | null
  /** Null for `:memory:`: `dataVersion()` then runs the pragma every time. */
  readonly walIndex: WalIndexHeader | null
  /** Null for `:memory:`, and where SQLite should checkpoint in the committing connection. */
  readonly checkpointer: WalCheckpointer | null
}

export class DurableSqliteDriver implements Driver {
  readonly #options: SqliteDriverOptions
  readonly #mutex = new ConnectionMutex()
  #db: BetterSqlite3.Database | null = null
  #connection: SqliteConnection | null = null
  #dataVersion: BetterSqlite3.Statement | null = null
  #lastDataVersion = 0
  #checkpointing = false

  constructor(options: SqliteDriverOptions) {
    this.#options = options
  }

  async init(): Promise<void> {
    const db = this.#options.open()
    this.#db = db
    this.#connection = new SqliteConnection(db)
    this.#dataVersion = db.prepare('pragma data_version').pluck()
    const checkpointer = this.#options.checkpointer
    if (checkpointer !== null) {
      db.pragma(`wal_autocheckpoint = ${SAFETY_NET_FRAMES}`)
      checkpointer.start((error) => {
        // Checkpoint on commit again, as SQLite does by default, rather than let the WAL grow.
        if (this.#db === db) db.pragma(`wal_autocheckpoint = ${CHECKPOINT_FRAMES}`)
        const reason = error instanceof Error ? error.message : String(error)
        process.emitWarning(`SQLite checkpoints are back on the event loop: ${reason}`)
      })
    }
  }

  /**
   * Changes whenever another connection (another process, or another driver in this one) has
   * committed since the last call; this connection's own commits leave it alone.
   */
  dataVersion(): number {
    if (this.#dataVersion === null) throw new Error('the SQLite driver is not initialised')
    // No commit anywhere since the last call (one pread, wal-index-header.ts): same answer.
    const walIndex = this.#options.walIndex
    if (walIndex !== null && !walIndex.changedSinceLastLook()) return this.#lastDataVersion
    this.#lastDataVersion = this.#dataVersion.get() as number // `pragma data_version` is one integer
    return this.#lastDataVersion
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock()
    if (this.#connection === null) throw new Error('the SQLite driver is not initialised')
    return this.#connection
  }

  // BEGIN IMMEDIATE takes the write lock up front, so a read-then-write transaction can never
  // fail half-way with SQLITE_BUSY when another process (the CLI beside the server) writes.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  /**
   * Hands the connection on first, then waits for the fsync that covers this holder's commit:
   * the next transaction runs meanwhile, and its commit joins the next fsync.
   */
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const mustSync = connection instanceof SqliteConnection && connection.committedUnsynced
    if (mustSync) connection.committedUnsynced = false
    this.#mutex.unlock()
    if (mustSync && this.#options.walSync !== null) await this.#options.walSync.sync()
    if (mustSync) this.#checkpointIfDue()
  }

  /**
   * Once enough of the WAL waits to be copied back, holds the connection (queries queue up, the
   * loop goes on) while the checkpoint thread runs, so that it reaches the WAL's end
   * (wal-checkpointer.ts). Not awaited: the commit that noticed it is already acknowledged.
   */
  #checkpointIfDue(): void {
    const checkpointer = this.#options.checkpointer
    if (checkpointer === null || this.#checkpointing || !checkpointer.due()) return
    this.#checkpointing = true
    void this.#mutex.lock().then(async () => {
      try {
        await checkpointer.run()
      } catch {
        // The thread has stopped, and its `onStopped` put the checkpoints back on commit.
      } finally {
        this.#mutex.unlock()
        this.#checkpointing = false
      }
    })
  }

  async destroy(): Promise<void> {
    // First, so that the server's connection is the last one and its close checkpoints the WAL
    // and removes it.
    await this.#options.checkpointer?.close()
    await this.#options.walSync?.close()
    this.#options.walIndex?.close()
    this.#db?.close()
    this.#db = null
    this.#connection = null
    this.#dataVersion = null
  }
}
