// Passkeys (WebAuthn discoverable credentials) a signed-in user registers, lists and deletes.
import { createHash } from 'node:crypto'
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server'
import type { Principal } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import type { RequestContext, WebAuthnCredential } from '../types.js'
import type { Passkey, PasskeyRegistrationInput } from './mfa-api.js'
import { assertRecentLogin } from './recent-login.js'
import {
  CEREMONY_TIMEOUT_MS,
  challengeOf,
  consumeChallenge,
  newChallenge,
  relyingPartyOf,
  rememberChallenge,
} from './webauthn-challenge.js'

const MAX_PASSKEYS = 20

/** 128 bits of the credential id's SHA-256: short enough for a URL path, unique in practice. */
export function passkeyHandle(credentialId: string): string {
  return createHash('sha256').update(credentialId, 'utf8').digest('base64url').slice(0, 22)
}

export function toPasskey(credential: WebAuthnCredential): Passkey {
  return {
    id: passkeyHandle(credential.id),
    name: credential.name,
    createdAt: credential.createdAt,
    lastUsedAt: credential.lastUsedAt,
  }
}

function registrationFailed(detail: string, cause?: unknown): AuthError {
  return new AuthError('passkey_rejected', { detail, cause })
}

/**
 * Discoverable (resident) credential with user verification required: the passkey alone then
 * proves possession and a PIN or biometric, so a passkey login is a two-factor login.
 */
export async function passkeyRegistrationOptions(
  ctx: CoreContext,
  principal: Principal,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  assertRecentLogin(ctx, principal)
  const { user } = principal
  const rp = relyingPartyOf(ctx.settings)
  const existing = await ctx.store.webauthn.listForUser(user.id)
  if (existing.length >= MAX_PASSKEYS) {
    throw registrationFailed(`An account can have at most ${MAX_PASSKEYS} passkeys.`)
  }
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    // The user handle is our opaque id, never the email (WebAuthn §14.6.1: no personal data).
    userID: new TextEncoder().encode(user.id),
    challenge: newChallenge(),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: [...c.transports] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  })
  await rememberChallenge(ctx, options.challenge, 'registration', user.id)
  return options
}

export async function registerPasskey(
  ctx: CoreContext,
  principal: Principal,
  input: PasskeyRegistrationInput,
  req: RequestContext,
): Promise<Passkey> {
  const { user } = principal
  const rp = relyingPartyOf(ctx.settings)
  const challenge = challengeOf(input.response.response.clientDataJSON)
  if (challenge === null || !(await consumeChallenge(ctx, challenge, 'registration', user.id))) {
    throw registrationFailed('The registration has expired or was already used; start again.')
  }
  let verified
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    })
  } catch (error) {
    throw registrationFailed('The passkey could not be verified.', error)
  }
  if (!verified.verified) throw registrationFailed('The passkey could not be verified.')
  const { credential } = verified.registrationInfo
  if ((await ctx.store.webauthn.findById(credential.id)) !== null) {
    throw registrationFailed('This passkey is already registered.')
  }
  const now = ctx.clock.now()
  const stored: WebAuthnCredential = {
    id: credential.id,
    userId: user.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? [],
    name: input.name?.trim() || `Passkey added ${now.toISOString().slice(0, 10)}`,
    createdAt: now,
    lastUsedAt: null,
  }
  await ctx.audit.transaction(req, async (tx, record) => {
    await tx.webauthn.add(stored)
    await record({
      type: 'passkey.registered',
      userId: user.id,
      actorId: user.id,
      sessionId: principal.session.id,
      data: { passkey: passkeyHandle(stored.id) },
    })
  })
  return toPasskey(stored)
}

export async function listPasskeys(ctx: CoreContext, principal: Principal): Promise<Passkey[]> {
  return (await ctx.store.webauthn.listForUser(principal.user.id)).map(toPasskey)
}

export async function deletePasskey(
  ctx: CoreContext,
  principal: Principal,
  id: string,
  req: RequestContext,
): Promise<void> {
  const userId = principal.user.id
  const credential = (await ctx.store.webauthn.listForUser(userId)).find(
    (c) => passkeyHandle(c.id) === id,
  )
  const notFound = new AuthError('not_found', { detail: 'No such passkey.' })
  if (credential === undefined) throw notFound
  await ctx.audit.transaction(req, async (tx, record) => {
    if (!(await tx.webauthn.delete(userId, credential.id))) throw notFound
    await record({
      type: 'passkey.deleted',
      userId,
      actorId: userId,
      sessionId: principal.session.id,
      data: { passkey: id },
    })
  })
}
