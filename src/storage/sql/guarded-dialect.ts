// One choke point between Kysely and the driver, rather than a try/catch in every store method:
// every statement, connection checkout, BEGIN and COMMIT passes through here, so every error is
// translated (errors.ts) and every bound parameter is checked.
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely'
import { AuthError } from '../../core/errors.js'
import { translateDriverError } from './errors.js'

// SEC-INPUT-02: mysql2 interpolates parameters on the client and expands an object into
// `key = value` pairs, and an array into a list. The store only ever binds scalars, so anything
// else reaching a driver is a bug or an injection attempt that slipped past validation.
function assertScalarParameters(query: CompiledQuery): void {
  for (const value of query.parameters) {
    const kind = typeof value
    // PostgreSQL refuses NUL in text with an error; refuse it on every backend alike, as bad input.
    if (kind === 'string' && (value as string).includes('\u0000')) {
      // typeof checked on the line above
      throw new AuthError('validation_failed', { detail: 'Text must not contain NUL characters.' })
    }
    if (value === null || kind === 'string' || kind === 'number' || kind === 'bigint') continue
    // Kysely's own introspection (the migrator) binds booleans; they expand to nothing.
    if (kind === 'boolean') continue
    throw new TypeError(`refusing to bind a ${Array.isArray(value) ? 'array' : kind} parameter`)
  }
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw translateDriverError(error)
  }
}

class GuardedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection

  constructor(inner: DatabaseConnection) {
    this.inner = inner
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    assertScalarParameters(query)
    return translated(() => this.inner.executeQuery<R>(query))
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    assertScalarParameters(query)
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize)
    } catch (error) {
      throw translateDriverError(error)
    }
  }
}

// Kysely's drivers release connections through a private symbol on their own connection
// objects, so the inner driver always gets back the connection it handed out.
function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof GuardedConnection ? connection.inner : connection
}

class GuardedDriver implements Driver {
  readonly #inner: Driver

  constructor(inner: Driver) {
    this.#inner = inner
  }

  init(): Promise<void> {
    return translated(() => this.#inner.init())
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GuardedConnection(await translated(() => this.#inner.acquireConnection()))
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // The inner driver issues BEGIN through the guarded connection, which translates.
    return this.#inner.beginTransaction(connection, settings)
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection)
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection)
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection))
  }

  destroy(): Promise<void> {
    return this.#inner.destroy()
  }
}

/** The dialect with error translation and parameter checks around its driver. */
export function guardDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  }
}
