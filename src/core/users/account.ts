import type { PasswordChangeInput, Principal, ProfilePatchInput, SessionView } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError, validationFailed, type FieldError } from '../errors.js'
import type { RequestContext, User, UserPatch } from '../types.js'
import { checkPassword } from './password-policy.js'
import { checkName, checkProfile } from './profile.js'
import { checkUsername, normalizeUsername, usernameKey } from './username.js'

/** Only name, username and custom profile fields are the user's to write (SEC-AUTHZ-03). */
export async function updateProfile(
  ctx: CoreContext,
  principal: Principal,
  input: ProfilePatchInput,
  req: RequestContext,
): Promise<User> {
  const errors: FieldError[] = []
  const patch: { -readonly [K in keyof UserPatch]: UserPatch[K] } = {}
  if (input.name !== undefined) {
    const name = input.name === null ? null : input.name.trim() || null
    const error = checkName(name)
    if (error) errors.push(error)
    patch.name = name
  }
  if (input.username !== undefined) {
    const username = input.username === null ? null : normalizeUsername(input.username)
    const error = username === null ? null : checkUsername(username)
    if (error) errors.push(error)
    patch.username = username
    patch.usernameKey = username === null ? null : usernameKey(username)
  }
  if (input.profile !== undefined) {
    const checked = checkProfile(ctx.settings.profileFields, input.profile, principal.user.profile)
    errors.push(...checked.errors)
    patch.profile = checked.profile
  }
  if (errors.length > 0) throw validationFailed(errors)
  return ctx.audit.transaction(req, async (tx, record) => {
    const user = await tx.users.update(principal.user.id, patch, ctx.clock.now())
    if (user === null) throw new AuthError('not_found', { detail: 'The account no longer exists.' })
    await record({
      type: 'user.updated',
      userId: user.id,
      actorId: user.id,
      sessionId: principal.session.id,
      data: {
        fields: Object.keys(input)
          .filter((k) => k !== 'profile' || input.profile !== undefined)
          .join(','),
      },
    })
    return user
  })
}

/** SEC-PWD-06: the current password is required, and every other session ends. */
export async function changePassword(
  ctx: CoreContext,
  principal: Principal,
  input: PasswordChangeInput,
  req: RequestContext,
): Promise<void> {
  const account = await ctx.store.users.findByIdWithPassword(principal.user.id)
  if (account === null) throw new AuthError('not_authenticated')
  const verdict =
    account.passwordHash === null
      ? (await ctx.hasher.verifyDummy(input.currentPassword), { valid: false })
      : await ctx.hasher.verify(account.passwordHash, input.currentPassword)
  if (!verdict.valid) {
    throw new AuthError('invalid_credentials', { detail: 'The current password is not right.' })
  }
  const { passwordMinLength: minLength, passwordMaxLength: maxLength } = ctx.settings
  const error = checkPassword(input.newPassword, { minLength, maxLength }, account, '/new_password')
  if (error) throw validationFailed([error])
  const passwordHash = await ctx.hasher.hash(input.newPassword)
  const now = ctx.clock.now()
  await ctx.audit.transaction(req, async (tx, record) => {
    await tx.users.update(account.id, { passwordHash }, now)
    const revoked = await tx.sessions.revokeAllForUser(
      account.id,
      'password_changed',
      now,
      principal.session.id,
    )
    // SEC-RESET-02: a reset link mailed before the change must not undo it.
    await tx.oneTimeTokens.voidForUser(account.id, 'password_reset', now)
    await record({
      type: 'password.changed',
      userId: account.id,
      actorId: account.id,
      sessionId: principal.session.id,
      data: { sessions_revoked: revoked.length },
    })
  })
  // SEC-PWD-06: the owner hears of it, in case it was not them.
  ctx.mail.enqueue({ kind: 'password_changed', to: account.email, at: now })
}

export async function logout(
  ctx: CoreContext,
  principal: Principal,
  req: RequestContext,
): Promise<void> {
  await ctx.audit.transaction(req, async (tx, record) => {
    await tx.sessions.revoke(principal.session.id, 'logout', ctx.clock.now())
    await record({
      type: 'user.logout',
      userId: principal.user.id,
      sessionId: principal.session.id,
    })
  })
}

export async function logoutAll(
  ctx: CoreContext,
  principal: Principal,
  req: RequestContext,
): Promise<void> {
  await ctx.audit.transaction(req, async (tx, record) => {
    const revoked = await tx.sessions.revokeAllForUser(
      principal.user.id,
      'logout_all',
      ctx.clock.now(),
    )
    await record({
      type: 'user.logout',
      userId: principal.user.id,
      sessionId: principal.session.id,
      data: { all: true, sessions_revoked: revoked.length },
    })
  })
}

export async function listSessions(ctx: CoreContext, principal: Principal): Promise<SessionView[]> {
  const sessions = await ctx.store.sessions.listActiveForUser(principal.user.id, ctx.clock.now())
  return sessions.map((session) => ({ session, current: session.id === principal.session.id }))
}

/** Another user's session id answers 404 like an unknown one: ids are not confirmed (SEC-AUTHZ-02). */
export async function revokeOwnSession(
  ctx: CoreContext,
  principal: Principal,
  sessionId: string,
  req: RequestContext,
): Promise<void> {
  const session = await ctx.store.sessions.findById(sessionId)
  if (session === null || session.userId !== principal.user.id || session.revokedAt !== null) {
    throw new AuthError('not_found', { detail: 'No such session.' })
  }
  await ctx.audit.transaction(req, async (tx, record) => {
    if (await tx.sessions.revoke(sessionId, 'user_deleted_session', ctx.clock.now())) {
      await record({
        type: 'session.revoked',
        userId: principal.user.id,
        actorId: principal.user.id,
        sessionId,
        data: { reason: 'user_deleted_session' },
      })
    }
  })
}
