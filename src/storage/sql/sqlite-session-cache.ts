import type {
  CachedSession,
  SessionCache,
  SessionCacheLookup,
  SessionInvalidation,
} from '../../core/ports.js'
import { LocalSessionCache } from '../cache/local-session-cache.js'

export interface SqliteSessionCacheOptions {
  /** A safety net only: every change is seen at once (below). */
  readonly ttlMs?: number
  readonly maxEntries?: number
}

/**
 * The session check without a database read, for a server on SQLite without Redis. Two kinds of
 * change can make an entry wrong, and both are seen before the next check:
 *
 * - this process's own writes: core's session-cache layer invalidates after each one commits and
 *   before it is acknowledged (core/sessions/session-cache.ts);
 * - another connection's writes (a `--workers` sibling, the CLI revoking a session or disabling a
 *   user): SQLite's `PRAGMA data_version` changes whenever another connection has committed, and
 *   it is looked at on every lookup (one `pread` of the WAL-index header when nothing was
 *   committed, the pragma otherwise: wal-index-header.ts), so after any such commit the whole
 *   cache is dropped first.
 *
 * So a revocation made anywhere is honoured by the next request, as without the cache; under
 * writes from elsewhere the cache simply empties more often.
 */
export class SqliteSessionCache implements SessionCache {
  readonly #local: LocalSessionCache
  readonly #dataVersion: () => number
  #seenVersion: number

  constructor(dataVersion: () => number, options: SqliteSessionCacheOptions = {}) {
    this.#dataVersion = dataVersion
    this.#local = new LocalSessionCache(options.ttlMs ?? 60_000, options.maxEntries ?? 10_000)
    this.#seenVersion = dataVersion()
  }

  async get(sessionId: string): Promise<SessionCacheLookup> {
    this.#dropIfWrittenElsewhere()
    const entry = this.#local.get(sessionId, Date.now())
    if (entry !== null) return { entry }
    return { entry: null, ticket: String(this.#local.generation) }
  }

  peek(sessionId: string): CachedSession | null {
    this.#dropIfWrittenElsewhere()
    return this.#local.get(sessionId, Date.now())
  }

  async set(entry: CachedSession, ticket: string): Promise<void> {
    // A write elsewhere since the ticket was taken bumps the generation, so the fill is dropped.
    this.#dropIfWrittenElsewhere()
    this.#local.set(entry, Number(ticket), Date.now())
  }

  async touch(sessionId: string, lastSeenAt: Date): Promise<void> {
    this.#local.touch(sessionId, lastSeenAt)
  }

  async invalidate(change: SessionInvalidation): Promise<void> {
    this.#local.invalidate(change.sessionIds, change.userIds)
  }

  async close(): Promise<void> {
    this.#local.clear()
  }

  #dropIfWrittenElsewhere(): void {
    const version = this.#dataVersion()
    if (version === this.#seenVersion) return
    this.#seenVersion = version
    this.#local.clear()
  }
}
