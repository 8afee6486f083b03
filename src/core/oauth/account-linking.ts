// The account-linking policy (docs/decisions/007-social-login-linking.md), in one place:
//
// 1. An outside identity is known by (issuer, subject) only, never by its email (SEC-OIDC-04).
// 2. A known identity signs in to the account it is linked to.
// 3. An unknown identity whose email no account has makes a new account, without a password;
//    the address counts as verified only if the provider says so.
// 4. An unknown identity whose email an account already has is NEVER linked on the spot, not
//    even when the provider says the address is verified: providers differ in what "verified"
//    means, and one wrong "yes" would hand over the account. The owner links it from
//    /settings/security after signing in with their own password (and 2FA).
import { generateId } from '../../crypto/random.js'
import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { ExternalIdentity, RequestContext, User } from '../types.js'
import { checkEmail, normalizeEmail } from '../users/email.js'
import { checkName } from '../users/profile.js'
import { accountExists, identityTaken, oauthFailed } from './failures.js'
import type { ExternalProfile, OAuthProvider } from './provider.js'

/** The account a provider's profile signs in to, made if the policy allows (rules 2 and 3). */
export async function findOrCreateAccount(
  ctx: CoreContext,
  provider: OAuthProvider,
  profile: ExternalProfile,
  req: RequestContext,
): Promise<User> {
  const linked = await accountOfIdentity(ctx, profile)
  if (linked !== null) return linked
  try {
    return await createAccountFromProfile(ctx, provider, profile, req)
  } catch (error) {
    if (!(error instanceof AuthError) || error.code !== 'email_taken') throw error
    // Two callbacks of one new identity at once: the first made the account, so sign in to it.
    const raced = await accountOfIdentity(ctx, profile)
    if (raced !== null) return raced
    throw accountExists(provider.label) // rule 4
  }
}

async function accountOfIdentity(ctx: CoreContext, profile: ExternalProfile): Promise<User | null> {
  const identity = await ctx.store.identities.findByIssuerSubject(profile.issuer, profile.subject)
  return identity === null ? null : ctx.store.users.findById(identity.userId)
}

function displayNameOf(profile: ExternalProfile): string | null {
  const name = profile.name?.trim() ?? ''
  // A name the profile rules refuse (control characters, too long) is left out, not fatal.
  return name === '' || checkName(name) !== null ? null : name
}

async function createAccountFromProfile(
  ctx: CoreContext,
  provider: OAuthProvider,
  profile: ExternalProfile,
  req: RequestContext,
): Promise<User> {
  const email = profile.email === null ? null : normalizeEmail(profile.email)
  if (email === null || checkEmail(email) !== null)
    throw oauthFailed('email_missing', provider.label)
  // Rule 4, checked before writing so the refusal is clear; the unique index settles races.
  if ((await ctx.store.users.findByEmailWithPassword(email)) !== null) {
    throw accountExists(provider.label)
  }
  const now = ctx.clock.now()
  // Account, identity and their events in one transaction: nothing half-made on any failure.
  return ctx.audit.transaction(req, async (tx, record) => {
    const user = await tx.users.create({
      id: generateId(),
      email,
      username: null,
      usernameKey: null,
      name: displayNameOf(profile),
      role: 'user',
      emailVerified: profile.emailVerified,
      passwordHash: null,
      // Required profile fields cannot come from a provider; the user fills them in later.
      profile: {},
      createdAt: now,
    })
    const identity = newIdentity(user.id, provider, profile, email, now)
    // Linked meanwhile by another account: roll back, and let the caller sign in to that one.
    if (!(await tx.identities.link(identity))) throw new AuthError('email_taken')
    await record({
      type: 'user.registered',
      userId: user.id,
      data: { role: user.role, method: 'oauth', provider: provider.name },
    })
    await record({
      type: 'oauth.linked',
      userId: user.id,
      data: { provider: provider.name, identity_id: identity.id },
    })
    return user
  })
}

function newIdentity(
  userId: string,
  provider: OAuthProvider,
  profile: ExternalProfile,
  email: string | null,
  now: Date,
): ExternalIdentity {
  return {
    id: generateId(),
    userId,
    issuer: profile.issuer,
    subject: profile.subject,
    provider: provider.name,
    email,
    createdAt: now,
  }
}

/**
 * Links an identity to the signed-in account (the only way rule 4's case is ever linked). Linking
 * it again is a no-op; an identity linked to someone else is refused with 409.
 */
export async function linkIdentity(
  ctx: CoreContext,
  principal: Principal,
  provider: OAuthProvider,
  profile: ExternalProfile,
  req: RequestContext,
): Promise<ExternalIdentity> {
  const userId = principal.user.id
  const email = profile.email === null ? null : normalizeEmail(profile.email)
  const now = ctx.clock.now()
  return ctx.audit.transaction(req, async (tx, record) => {
    const existing = await tx.identities.findByIssuerSubject(profile.issuer, profile.subject)
    if (existing !== null) {
      if (existing.userId === userId) return existing
      throw identityTaken(provider.label)
    }
    const identity = newIdentity(userId, provider, profile, email, now)
    // The unique key decides a race with another account linking the same identity.
    if (!(await tx.identities.link(identity))) throw identityTaken(provider.label)
    await record({
      type: 'oauth.linked',
      userId,
      actorId: userId,
      sessionId: principal.session.id,
      data: { provider: provider.name, identity_id: identity.id },
    })
    return identity
  })
}
