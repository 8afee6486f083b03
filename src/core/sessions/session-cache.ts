// The session cache, as core uses it: reads go through `findSessionWithUser`; invalidation is not
// left to each revocation path to remember. `withSessionCache` puts a thin layer over the store
// that notices every write able to change what a cached entry says (a session revoked or touched,
// a user row updated, MFA switched) and invalidates the cache once the write has committed. So
// logout, logout-all, password change and reset, admin disable and role change, refresh reuse,
// session-policy eviction and session delete are all covered, and so is any path added later.
//
// Explicit forwarding, not spread or a Proxy: a method added to UserStore, SessionStore or
// MfaStore fails the type check here, so whoever adds a write decides whether it invalidates.
import type { CoreContext } from '../context.js'
import type {
  CachedSession,
  MfaStore,
  SessionCache,
  SessionStore,
  Store,
  StoreTx,
  UserStore,
} from '../ports.js'
import { sessionState } from './session.js'

/**
 * The hot path's lookup. A cached entry is used only while it still says "active"; anything
 * else (revoked, disabled, idle, expired) is decided by the store, so a stale `lastSeenAt` in
 * the cache can never end a session early and a refusal never comes from the cache.
 */
export async function findSessionWithUser(
  ctx: CoreContext,
  sessionId: string,
  now: Date,
): Promise<CachedSession | null> {
  const cache = ctx.sessionCache
  if (cache === null) return ctx.store.sessions.findWithUser(sessionId)
  const lookup = await cache.get(sessionId)
  const isLive = (found: CachedSession): boolean =>
    sessionState(found.session, found.user, ctx.settings, now) === 'active'
  if (lookup.entry !== null && isLive(lookup.entry)) return lookup.entry
  const found = await ctx.store.sessions.findWithUser(sessionId)
  if (found !== null && lookup.entry === null && lookup.ticket !== null && isLive(found)) {
    await cache.set(found, lookup.ticket)
  }
  return found
}

/** What a write means for the cache. */
interface CacheEffects {
  sessionsChanged(ids: readonly string[]): Promise<void>
  userChanged(id: string): Promise<void>
  touched(id: string, lastSeenAt: Date): Promise<void>
}

/** Outside a transaction each write is committed when it returns: tell the cache at once. */
function immediateEffects(cache: SessionCache): CacheEffects {
  return {
    sessionsChanged: (ids) =>
      ids.length === 0 ? Promise.resolve() : cache.invalidate({ sessionIds: ids, userIds: [] }),
    userChanged: (id) => cache.invalidate({ sessionIds: [], userIds: [id] }),
    touched: (id, at) => cache.touch(id, at),
  }
}

/** Inside a transaction: collected, and handed to the cache after the commit (or rollback). */
class DeferredEffects implements CacheEffects {
  readonly #sessionIds = new Set<string>()
  readonly #userIds = new Set<string>()
  readonly #touches = new Map<string, Date>()

  async sessionsChanged(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#sessionIds.add(id)
  }

  async userChanged(id: string): Promise<void> {
    this.#userIds.add(id)
  }

  async touched(id: string, lastSeenAt: Date): Promise<void> {
    this.#touches.set(id, lastSeenAt)
  }

  /**
   * Invalidations go out whether or not the transaction committed: one that failed may still
   * have committed (the connection died after COMMIT), and a needless invalidation costs only a
   * cache miss. A touch is only passed on when the transaction committed.
   */
  async flush(cache: SessionCache, committed: boolean): Promise<void> {
    if (this.#sessionIds.size > 0 || this.#userIds.size > 0) {
      await cache.invalidate({ sessionIds: [...this.#sessionIds], userIds: [...this.#userIds] })
    }
    if (!committed) return
    for (const [id, at] of this.#touches) await cache.touch(id, at)
  }
}

// Each write reports in `finally`: a write that threw may still have reached the database.
async function reporting<T>(
  write: () => Promise<T>,
  report: (result: T | undefined) => Promise<void>,
): Promise<T> {
  let result: T | undefined
  try {
    result = await write()
    return result
  } finally {
    await report(result)
  }
}

function wrapUsers(users: UserStore, effects: CacheEffects): UserStore {
  return {
    create: (user) => users.create(user),
    createMany: (batch) => users.createMany(batch),
    findById: (id) => users.findById(id),
    findByIdWithPassword: (id) => users.findByIdWithPassword(id),
    findByEmailWithPassword: (email) => users.findByEmailWithPassword(email),
    findByUsernameKeyWithPassword: (key) => users.findByUsernameKeyWithPassword(key),
    // Role, disabled, profile, verification: a cached user must never outlive its row.
    update: (id, patch, now) =>
      reporting(
        () => users.update(id, patch, now),
        () => effects.userChanged(id),
      ),
    list: (query) => users.list(query),
    count: () => users.count(),
  }
}

function wrapSessions(sessions: SessionStore, effects: CacheEffects): SessionStore {
  return {
    create: (session) => sessions.create(session),
    findById: (id) => sessions.findById(id),
    findWithUser: (id) => sessions.findWithUser(id),
    touch: (id, lastSeenAt) =>
      reporting(
        () => sessions.touch(id, lastSeenAt),
        () => effects.touched(id, lastSeenAt),
      ),
    revoke: (id, reason, now) =>
      reporting(
        () => sessions.revoke(id, reason, now),
        () => effects.sessionsChanged([id]),
      ),
    // Only the revoked ids change; if the call threw we do not know which, so drop the user's.
    revokeAllForUser: (userId, reason, now, exceptId) =>
      reporting(
        () => sessions.revokeAllForUser(userId, reason, now, exceptId),
        (ids) => (ids === undefined ? effects.userChanged(userId) : effects.sessionsChanged(ids)),
      ),
    listActiveForUser: (userId, now) => sessions.listActiveForUser(userId, now),
    // Nothing to drop: a session past its expiry is refused whether or not a cache still holds it.
    deleteExpired: (before, limit) => sessions.deleteExpired(before, limit),
  }
}

function wrapMfa(mfa: MfaStore, effects: CacheEffects): MfaStore {
  return {
    findTotp: (userId) => mfa.findTotp(userId),
    savePendingTotp: (userId, secret, now) => mfa.savePendingTotp(userId, secret, now),
    acceptTotpStep: (userId, step) => mfa.acceptTotpStep(userId, step),
    // Both change users.mfa_enabled, which a cached user carries.
    enableTotp: (userId, now) =>
      reporting(
        () => mfa.enableTotp(userId, now),
        () => effects.userChanged(userId),
      ),
    disableTotp: (userId) =>
      reporting(
        () => mfa.disableTotp(userId),
        () => effects.userChanged(userId),
      ),
    replaceRecoveryCodes: (userId, hashes, now) => mfa.replaceRecoveryCodes(userId, hashes, now),
    useRecoveryCode: (userId, hash, now) => mfa.useRecoveryCode(userId, hash, now),
    countRecoveryCodes: (userId) => mfa.countRecoveryCodes(userId),
  }
}

function wrapTx(tx: StoreTx, effects: CacheEffects): StoreTx {
  return {
    users: wrapUsers(tx.users, effects),
    sessions: wrapSessions(tx.sessions, effects),
    mfa: wrapMfa(tx.mfa, effects),
    refreshTokens: tx.refreshTokens,
    audit: tx.audit,
    oneTimeTokens: tx.oneTimeTokens,
    webauthn: tx.webauthn,
    identities: tx.identities,
  }
}

/** The store core works with when a session cache is wired: same port, cache kept honest. */
export function withSessionCache(store: Store, cache: SessionCache): Store {
  return {
    ...wrapTx(store, immediateEffects(cache)),
    loginThrottle: store.loginThrottle,
    keys: store.keys,
    async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
      const effects = new DeferredEffects()
      let committed = false
      try {
        const result = await store.transaction((tx) => fn(wrapTx(tx, effects)))
        committed = true
        return result
      } finally {
        await effects.flush(cache, committed)
      }
    },
    ping: () => store.ping(),
    close: () => store.close(),
  }
}
