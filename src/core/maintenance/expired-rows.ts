import type { LoginThrottleStore, OneTimeTokenStore, SessionStore } from '../ports.js'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * How long a session row outlives its absolute expiry. Until then a request that still carries
 * it is told its session has ended (`session_revoked`), after it that it is not signed in
 * (`not_authenticated`); the audit log keeps the session's story after the row is gone.
 */
export const SESSION_RETENTION_MS = DAY_MS

/**
 * How long a one-time token's row outlives its expiry. Until then a link clicked late or twice
 * gets `token_expired` or `token_used`; after it `invalid_token`, as a mistyped link does.
 */
export const TOKEN_RETENTION_MS = DAY_MS

/**
 * How long a login-throttle key is kept after its last attempt, once no lock is in force. Keys of
 * identifiers that never sign in (typos, unknown users, a credential-stuffing list) would
 * otherwise stay for ever. Forgetting a key gives its attacker the free attempts and the doubling
 * delays once more, ~16 guesses in 17 minutes with the default policy: fewer than the 96 that the
 * day of waiting would have allowed at the 15-minute cap, so waiting to be forgotten never beats
 * guessing on.
 */
export const THROTTLE_IDLE_MS = DAY_MS

/** The tables the sweep keeps bounded. */
export type ExpiredRowKind = 'sessions' | 'oneTimeTokens' | 'loginThrottle'

export interface SweptStores {
  readonly sessions: SessionStore
  readonly oneTimeTokens: OneTimeTokenStore
  readonly loginThrottle: LoginThrottleStore
}

export interface ExpiredRows {
  readonly kind: ExpiredRowKind
  /** Deletes at most `limit` of the rows due to go at `now`, oldest first; how many it deleted. */
  deleteSome(now: Date, limit: number): Promise<number>
}

function ago(now: Date, ms: number): Date {
  return new Date(now.getTime() - ms)
}

/**
 * What goes, table by table. Sessions go with their refresh tokens (by the foreign key's
 * `on delete cascade`), revoked or not: revoked and idle sessions are bounded by `SESSION_MAX_AGE`
 * of logins that way, at the cost of no index maintained on revocation.
 */
export function expiredRows(stores: SweptStores): readonly ExpiredRows[] {
  return [
    {
      kind: 'sessions',
      deleteSome: (now, limit) =>
        stores.sessions.deleteExpired(ago(now, SESSION_RETENTION_MS), limit),
    },
    {
      kind: 'oneTimeTokens',
      deleteSome: (now, limit) =>
        stores.oneTimeTokens.deleteExpired(ago(now, TOKEN_RETENTION_MS), limit),
    },
    {
      kind: 'loginThrottle',
      deleteSome: (now, limit) =>
        stores.loginThrottle.deleteIdle(ago(now, THROTTLE_IDLE_MS), now, limit),
    },
  ]
}
