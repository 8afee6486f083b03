import type { AdminUserPatch, Principal, UserListQuery } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { Page, RequestContext, Role, User, UserPatch } from '../types.js'

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200

export function pageSize(limit: number | undefined): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, limit ?? DEFAULT_PAGE_SIZE))
}

/** Enforced in core, not only at the route, so every caller (API, pages) gets the same rule. */
export function assertAdmin(principal: Principal): void {
  if (principal.user.role !== 'admin') {
    throw new AuthError('forbidden', { detail: 'This needs the admin role.' })
  }
}

export async function listUsers(ctx: CoreContext, query: UserListQuery): Promise<Page<User>> {
  return ctx.store.users.list({
    limit: pageSize(query.limit),
    ...(query.q !== undefined && query.q !== '' ? { q: query.q } : {}),
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  })
}

export async function getUser(ctx: CoreContext, userId: string): Promise<User> {
  const user = await ctx.store.users.findById(userId)
  if (user === null) throw new AuthError('not_found', { detail: 'No such user.' })
  return user
}

/**
 * Disabling ends every session at once (SEC-SESS-07). A role change also ends the user's
 * sessions, so new privileges always come with a new session id (SEC-SESS-03).
 */
export async function updateUser(
  ctx: CoreContext,
  actorId: string | null,
  userId: string,
  patch: AdminUserPatch,
  req: RequestContext,
): Promise<User> {
  const before = await getUser(ctx, userId)
  const changes: { -readonly [K in keyof UserPatch]: UserPatch[K] } = {}
  if (patch.role !== undefined && patch.role !== before.role) changes.role = patch.role
  if (patch.disabled !== undefined && patch.disabled !== before.disabled)
    changes.disabled = patch.disabled
  if (patch.emailVerified !== undefined && patch.emailVerified !== before.emailVerified)
    changes.emailVerified = patch.emailVerified
  // An admin can only turn 2FA off (a lost device); the factor and recovery codes go with it.
  const resetMfa = patch.mfaEnabled === false && before.mfaEnabled
  if (Object.keys(changes).length === 0 && !resetMfa) return before
  const now = ctx.clock.now()
  return ctx.audit.transaction(req, async (tx, record) => {
    if (resetMfa) await tx.mfa.disableTotp(userId)
    const user = await tx.users.update(userId, changes, now)
    if (user === null) throw new AuthError('not_found', { detail: 'No such user.' })
    let revoked: string[] = []
    if (changes.disabled === true)
      revoked = await tx.sessions.revokeAllForUser(userId, 'account_disabled', now)
    // A reset 2FA ends the sessions too: whoever asked for it signs in afresh (SEC-SESS-03).
    else if (changes.role !== undefined || resetMfa)
      revoked = await tx.sessions.revokeAllForUser(userId, 'admin', now)
    if (resetMfa) {
      await record({
        type: 'mfa.disabled',
        userId,
        actorId,
        data: { factor: 'totp', method: 'admin_reset' },
      })
    }
    await record({
      type: 'admin.user_updated',
      userId,
      actorId,
      data: {
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
        ...(changes.emailVerified !== undefined ? { email_verified: changes.emailVerified } : {}),
        ...(resetMfa ? { mfa_enabled: false } : {}),
        sessions_revoked: revoked.length,
      },
    })
    return user
  })
}

export async function revokeUserSessions(
  ctx: CoreContext,
  actorId: string,
  userId: string,
  req: RequestContext,
): Promise<void> {
  await getUser(ctx, userId)
  await ctx.audit.transaction(req, async (tx, record) => {
    const revoked = await tx.sessions.revokeAllForUser(userId, 'admin', ctx.clock.now())
    await record({
      type: 'admin.sessions_revoked',
      userId,
      actorId,
      data: { sessions_revoked: revoked.length },
    })
  })
}

/** CLI path: find by id or by email. */
export async function findUserByEmailOrId(
  ctx: CoreContext,
  emailOrId: string,
): Promise<User | null> {
  if (emailOrId.includes('@')) {
    const account = await ctx.store.users.findByEmailWithPassword(emailOrId.trim().toLowerCase())
    if (account === null) return null
    const { passwordHash: _omit, ...user } = account
    return user
  }
  return ctx.store.users.findById(emailOrId)
}

export async function setRole(
  ctx: CoreContext,
  emailOrId: string,
  role: Role,
  req: RequestContext,
): Promise<User> {
  const user = await findUserByEmailOrId(ctx, emailOrId)
  if (user === null) throw new AuthError('not_found', { detail: `No user ${emailOrId}.` })
  return updateUser(ctx, null, user.id, { role }, req)
}
