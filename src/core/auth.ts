import { deriveKey } from '../crypto/secret-keys.js'
import { listUserEvents, listEvents } from './audit/audit-queries.js'
import { AuditTrail } from './audit/audit.js'
import * as admin from './admin/admin-users.js'
import type { Auth } from './auth-api.js'
import type { AuthDeps } from './auth-options.js'
import { silentLogger, systemClock, type CoreContext } from './context.js'
import { AuthError } from './errors.js'
import { authenticateCredential } from './sessions/authenticate.js'
import { rotateRefreshToken } from './tokens/rotate-refresh-token.js'
import { loadSigningKeys } from './tokens/signing-keys.js'
import * as account from './users/account.js'
import { importUser } from './users/import-user.js'
import { loginWithPassword } from './users/login.js'
import { createAccount } from './users/register.js'

/**
 * Wires the core services over the given adapters. Knows no HTTP and no SQL: the server, the
 * Fastify plugin and the CLI all call the object it returns.
 *
 * @example
 * ```ts
 * const store = await openSqlStore('sqlite:./data/latchkey.db', { migrate: true })
 * const auth = await createAuth({
 *   settings, store, secret,
 *   hasher: createPasswordHasher({ threads: 2, maxQueue: 128 }),
 *   rateLimiter: new MemoryRateLimiter(),
 * })
 * const user = await auth.register({ email: 'ada@example.com', password: 'a long passphrase' }, { ip: null, userAgent: null })
 * ```
 */
export async function createAuth(deps: AuthDeps): Promise<Auth> {
  if (deps.secret.length < 32) throw new Error('the instance secret must be at least 32 bytes')
  const clock = deps.clock ?? systemClock
  const ctx: CoreContext = {
    settings: deps.settings,
    store: deps.store,
    hasher: deps.hasher,
    rateLimiter: deps.rateLimiter,
    clock,
    logger: deps.logger ?? silentLogger,
    audit: new AuditTrail(deps.store, clock, deps.auditSink),
    keys: await loadSigningKeys(deps.store.keys, deps.secret, clock.now()),
    rotationKey: deriveKey(deps.secret, 'refresh-rotation'),
  }
  const jwks = { keys: [...ctx.keys.byKid.values()].map((k) => k.publicJwk) }

  return {
    settings: deps.settings,
    register: (input, req) => createAccount(ctx, input, req, null),
    login: (input, req) => loginWithPassword(ctx, input, req),
    refresh: (token, req) => rotateRefreshToken(ctx, token, req),
    authenticate: (credential) => authenticateCredential(ctx, credential),
    logout: (principal, req) => account.logout(ctx, principal, req),
    logoutAll: (principal, req) => account.logoutAll(ctx, principal, req),
    updateMe: (principal, patch, req) => account.updateProfile(ctx, principal, patch, req),
    changePassword: (principal, input, req) => account.changePassword(ctx, principal, input, req),
    listSessions: (principal) => account.listSessions(ctx, principal),
    revokeSession: (principal, id, req) => account.revokeOwnSession(ctx, principal, id, req),

    async listUsers(principal, query) {
      admin.assertAdmin(principal)
      return admin.listUsers(ctx, query)
    },
    async getUser(principal, userId) {
      admin.assertAdmin(principal)
      return admin.getUser(ctx, userId)
    },
    async updateUser(principal, userId, patch, req) {
      admin.assertAdmin(principal)
      return admin.updateUser(ctx, principal.user.id, userId, patch, req)
    },
    async revokeUserSessions(principal, userId, req) {
      admin.assertAdmin(principal)
      await admin.revokeUserSessions(ctx, principal.user.id, userId, req)
    },
    listUserEvents: (principal, userId, query) => listUserEvents(ctx, principal, userId, query),
    listEvents: (principal, query) => listEvents(ctx, principal, query),

    createUser: (input, req) => createAccount(ctx, input, req, null),
    setRole: (emailOrId, role, req) => admin.setRole(ctx, emailOrId, role, req),
    importUser: (input, req) => importUser(ctx, input, req),
    findUser: (emailOrId) => admin.findUserByEmailOrId(ctx, emailOrId),
    listAllUsers: (query) => admin.listUsers(ctx, query),

    jwks: () => jwks,
    async isReady() {
      try {
        await deps.store.ping()
        return true
      } catch {
        return false
      }
    },
    async close() {
      await deps.hasher.close()
      await deps.rateLimiter.close()
      await deps.store.close()
    },
  }
}

export { AuthError }
