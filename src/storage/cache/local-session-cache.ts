import type { CachedSession } from '../../core/ports.js'

interface LocalEntry {
  entry: CachedSession
  expiresAt: number
  /** When it last moved to the young end of the LRU order. */
  usedAt: number
}

// Recency is kept to the second: a hit re-inserts its entry (Map order is the LRU order) at most
// once a second. Re-inserting on every hit made V8 shrink and regrow the Map's table each time
// under a hot session, a runtime call on every warm check.
const RECENCY_GRANULARITY_MS = 1000

/**
 * A bounded in-process LRU of session checks with a short TTL, indexed by user so a user's change
 * drops all of their sessions. It is only as good as the invalidations it hears: the Redis cache
 * uses it only while its pub/sub subscription is live, the SQLite one only while no other
 * connection has written (sqlite-session-cache.ts).
 *
 * `generation` grows with every invalidation and clear. A fill carries the generation it saw
 * before reading, and is dropped if anything was invalidated since: a reader that started before
 * a revocation cannot put the revoked session back.
 */
export class LocalSessionCache {
  readonly #entries = new Map<string, LocalEntry>()
  readonly #byUser = new Map<string, Set<string>>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  #generation = 0

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs
    this.#maxEntries = maxEntries
  }

  get generation(): number {
    return this.#generation
  }

  get size(): number {
    return this.#entries.size
  }

  get(sessionId: string, nowMs: number): CachedSession | null {
    const found = this.#entries.get(sessionId)
    if (found === undefined) return null
    if (found.expiresAt <= nowMs) {
      this.#delete(sessionId)
      return null
    }
    // Re-insert: Map keeps insertion order, so the oldest-used entry stays first for eviction.
    if (nowMs - found.usedAt >= RECENCY_GRANULARITY_MS) {
      found.usedAt = nowMs
      this.#entries.delete(sessionId)
      this.#entries.set(sessionId, found)
    }
    return found.entry
  }

  /** False (and nothing stored) when anything was invalidated since `generation` was read. */
  set(entry: CachedSession, generation: number, nowMs: number): boolean {
    if (generation !== this.#generation) return false
    const id = entry.session.id
    this.#delete(id)
    this.#entries.set(id, { entry, expiresAt: nowMs + this.#ttlMs, usedAt: nowMs })
    let sessions = this.#byUser.get(entry.user.id)
    if (sessions === undefined) {
      sessions = new Set()
      this.#byUser.set(entry.user.id, sessions)
    }
    sessions.add(id)
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) break
      this.#delete(oldest.value)
    }
    return true
  }

  touch(sessionId: string, lastSeenAt: Date): void {
    const found = this.#entries.get(sessionId)
    if (found === undefined || found.entry.session.lastSeenAt >= lastSeenAt) return
    found.entry = { ...found.entry, session: { ...found.entry.session, lastSeenAt } }
  }

  invalidate(sessionIds: readonly string[], userIds: readonly string[]): void {
    this.#generation += 1
    for (const id of sessionIds) this.#delete(id)
    for (const userId of userIds) {
      for (const id of [...(this.#byUser.get(userId) ?? [])]) this.#delete(id)
      this.#byUser.delete(userId)
    }
  }

  clear(): void {
    this.#generation += 1
    this.#entries.clear()
    this.#byUser.clear()
  }

  #delete(sessionId: string): void {
    const found = this.#entries.get(sessionId)
    if (found === undefined) return
    this.#entries.delete(sessionId)
    const sessions = this.#byUser.get(found.entry.user.id)
    sessions?.delete(sessionId)
    if (sessions?.size === 0) this.#byUser.delete(found.entry.user.id)
  }
}
