import { deriveKey } from '../crypto/secret-keys.js'
import { listUserEvents, listEvents } from './audit/audit-queries.js'
import { AuditTrail } from './audit/audit.js'
import * as admin from './admin/admin-users.js'
import type { Auth } from './auth-api.js'
import type { AuthDeps } from './auth-options.js'
import { discardingMailQueue, silentLogger, systemClock, type CoreContext } from './context.js'
import { AuthError } from './errors.js'
import { ExpiredRowSweeper } from './maintenance/sweeper.js'
import { deriveMfaKeys } from './mfa/mfa-keys.js'
import { createMfaMethods } from './mfa/mfa-service.js'
import { BackgroundWork } from './recovery/background-work.js'
import * as verification from './recovery/email-verification.js'
import { requestPasswordReset, resetPassword } from './recovery/password-reset.js'
import { authenticateCredential, authenticateCredentialWarm } from './sessions/authenticate.js'
import { withSessionCache } from './sessions/session-cache.js'
import { rotateRefreshToken } from './tokens/rotate-refresh-token.js'
import { openKeyRing, peekKid } from './tokens/key-ring.js'
import * as account from './users/account.js'
import { importUser } from './users/import-user.js'
import { importUsersBatch } from './users/import-users-batch.js'
import { loginWithPassword } from './users/login.js'
import { createAccount } from './users/register.js'
import { createOAuthMethods } from './oauth/oauth-service.js'

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
  const logger = deps.logger ?? silentLogger
  const keys = await openKeyRing(deps.store.keys, deps.secret, clock, logger, deps.keyRing)
  const background = new BackgroundWork(logger)
  const sweeper = new ExpiredRowSweeper(deps.store, clock, logger, deps.sweeper)
  // With a session cache, every write through core invalidates it after commit (session-cache.ts).
  const store =
    deps.sessionCache === undefined ? deps.store : withSessionCache(deps.store, deps.sessionCache)
  const ctx: CoreContext = {
    settings: deps.settings,
    store,
    hasher: deps.hasher,
    rateLimiter: deps.rateLimiter,
    sessionCache: deps.sessionCache ?? null,
    clock,
    logger,
    audit: new AuditTrail(store, clock, deps.auditSink),
    mail: deps.mail ?? discardingMailQueue(logger),
    keys,
    rotationKey: deriveKey(deps.secret, 'refresh-rotation'),
    mfaKeys: deriveMfaKeys(deps.secret),
  }

  return {
    // Two-factor and passkeys (mfa/mfa-api.ts).
    ...createMfaMethods(ctx),
    // Social login and linked identities (oauth/oauth-api.ts).
    ...createOAuthMethods(ctx, deps.oauthProviders ?? [], deps.secret),
    settings: deps.settings,
    async register(input, req) {
      const user = await createAccount(ctx, input, req, null)
      // After the transaction: the sign-up stands even if the link cannot be issued.
      await verification.offerVerification(ctx, user)
      return user
    },
    login: (input, req) => loginWithPassword(ctx, input, req),
    refresh: (token, req) => rotateRefreshToken(ctx, token, req),
    async authenticate(credential) {
      try {
        return await authenticateCredential(ctx, credential)
      } catch (error) {
        // A token signed by a key rotated in on another node since our last reload: reread the
        // keys once and try again. Only refusals pay for the check, never the hot path.
        const kid = credential.kind === 'bearer' ? peekKid(credential.token) : null
        if (kid === null || keys.byKid.has(kid) || !(await keys.reloadForUnknownKid(kid))) {
          throw error
        }
        return authenticateCredential(ctx, credential)
      }
    },
    authenticateWarm: (credential) => authenticateCredentialWarm(ctx, credential),
    logout: (principal, req) => account.logout(ctx, principal, req),
    logoutAll: (principal, req) => account.logoutAll(ctx, principal, req),
    updateMe: (principal, patch, req) => account.updateProfile(ctx, principal, patch, req),
    changePassword: (principal, input, req) => account.changePassword(ctx, principal, input, req),
    listSessions: (principal) => account.listSessions(ctx, principal),
    revokeSession: (principal, id, req) => account.revokeOwnSession(ctx, principal, id, req),
    verifyEmail: (token, req) => verification.verifyEmail(ctx, token, req),
    resendVerification: (principal) => verification.resendVerification(ctx, principal),
    requestPasswordReset: (email, req) => requestPasswordReset(ctx, background, email, req),
    resetPassword: (input, req) => resetPassword(ctx, input, req),

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
    importUsersBatch: (inputs, req) => importUsersBatch(ctx, inputs, req),
    findUser: (emailOrId) => admin.findUserByEmailOrId(ctx, emailOrId),
    listAllUsers: (query) => admin.listUsers(ctx, query),

    jwks: () => keys.jwks(),
    reloadSigningKeys: () => keys.reload(),
    async isReady() {
      try {
        await deps.store.ping()
        return true
      } catch {
        return false
      }
    },
    async close() {
      await background.settle() // a reset request still writing must not meet a closed store
      await sweeper.close()
      keys.close()
      await deps.hasher.close()
      await deps.rateLimiter.close()
      await deps.sessionCache?.close()
      await deps.store.close()
    },
  }
}

export { AuthError }
