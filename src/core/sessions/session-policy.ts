import type { SessionPolicy } from '../auth-options.js'
import type { StoreTx } from '../ports.js'

/**
 * Ends the sessions the policy says a new login replaces. Runs in the login's transaction, before
 * the new session is written: the store locks the user's row in `revokeAllForUser`, so
 * concurrent logins under `single` serialise and exactly one session survives.
 */
export async function applySessionPolicy(
  tx: StoreTx,
  policy: SessionPolicy,
  userId: string,
  now: Date,
): Promise<string[]> {
  if (policy.kind === 'single') {
    return tx.sessions.revokeAllForUser(userId, 'session_policy', now)
  }
  if (policy.max === null) return []
  const active = await tx.sessions.listActiveForUser(userId, now) // newest first
  const evicted = active.slice(Math.max(0, policy.max - 1))
  const revoked: string[] = []
  for (const session of evicted) {
    if (await tx.sessions.revoke(session.id, 'session_policy', now)) revoked.push(session.id)
  }
  return revoked
}
