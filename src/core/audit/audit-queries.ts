import type { AuditListQuery, Principal } from '../auth-api.js'
import { assertAdmin, getUser, pageSize } from '../admin/admin-users.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { AuditEvent, Page } from '../types.js'

function toStoreQuery(
  query: AuditListQuery,
): Parameters<CoreContext['store']['audit']['query']>[0] {
  return {
    limit: pageSize(query.limit),
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.userId !== undefined ? { userId: query.userId } : {}),
    ...(query.since !== undefined ? { since: query.since } : {}),
    ...(query.until !== undefined ? { until: query.until } : {}),
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  }
}

/** A user reads their own trail; reading anyone else's needs the admin role (SEC-AUTHZ-02). */
export async function listUserEvents(
  ctx: CoreContext,
  principal: Principal,
  userId: string,
  query: AuditListQuery,
): Promise<Page<AuditEvent>> {
  if (principal.user.id !== userId) {
    if (principal.user.role !== 'admin')
      throw new AuthError('forbidden', { detail: "Only admins may read another user's events." })
    await getUser(ctx, userId)
  }
  return ctx.store.audit.query(toStoreQuery({ ...query, userId }))
}

export async function listEvents(
  ctx: CoreContext,
  principal: Principal,
  query: AuditListQuery,
): Promise<Page<AuditEvent>> {
  assertAdmin(principal)
  return ctx.store.audit.query(toStoreQuery(query))
}
