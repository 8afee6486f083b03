// Signing in with a passkey alone: no email, no password. The browser offers the user's
// discoverable credentials for our RP ID; the signed assertion names the credential.
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server'
import type { IssuedTokens } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { AuthError } from '../errors.js'
import { startSession } from '../sessions/start-session.js'
import type { RequestContext, WebAuthnCredential } from '../types.js'
import type { AuthenticationResponseJSON } from './mfa-api.js'
import {
  CEREMONY_TIMEOUT_MS,
  challengeOf,
  consumeChallenge,
  newChallenge,
  relyingPartyOf,
  rememberChallenge,
} from './webauthn-challenge.js'

/** One answer for every refusal, as login gives one for every wrong password (SEC-ENUM-01). */
function invalidPasskey(): AuthError {
  return new AuthError('invalid_passkey', { detail: 'The passkey could not be verified.' })
}

export async function passkeyLoginOptions(
  ctx: CoreContext,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingPartyOf(ctx.settings)
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    challenge: newChallenge(),
    timeout: CEREMONY_TIMEOUT_MS,
    // No allowCredentials: the authenticator offers its discoverable credentials for this RP.
    userVerification: 'required',
  })
  await rememberChallenge(ctx, options.challenge, 'authentication', null)
  return options
}

/** The user handle, when the authenticator sent one, must name the credential's owner. */
function handleMatches(
  response: AuthenticationResponseJSON,
  credential: WebAuthnCredential,
): boolean {
  const handle = response.response.userHandle
  if (handle === undefined || handle === '') return true
  return Buffer.from(handle, 'base64url').toString('utf8') === credential.userId
}

async function verifyAssertion(
  ctx: CoreContext,
  response: AuthenticationResponseJSON,
  credential: WebAuthnCredential,
  challenge: string,
): Promise<boolean> {
  const rp = relyingPartyOf(ctx.settings)
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
        counter: credential.counter,
        transports: [...credential.transports],
      },
      // Presence and verification (PIN, biometric): the passkey counts as both factors.
      requireUserVerification: true,
    })
    if (!result.verified) return false
    // WebAuthn §6.1.1: a counter that did not grow may be a cloned authenticator.
    return ctx.store.webauthn.recordUse(
      credential.id,
      result.authenticationInfo.newCounter,
      ctx.clock.now(),
    )
  } catch {
    return false // a malformed or mismatched assertion is a refusal, not a server error
  }
}

async function refuse(
  ctx: CoreContext,
  req: RequestContext,
  userId: string | null,
): Promise<never> {
  await ctx.audit.transaction(req, async (_tx, record) => {
    await record({ type: 'user.login_failed', userId, data: { reason: 'bad_passkey' } })
  })
  throw invalidPasskey()
}

export async function loginWithPasskey(
  ctx: CoreContext,
  response: AuthenticationResponseJSON,
  req: RequestContext,
): Promise<IssuedTokens> {
  const challenge = challengeOf(response.response.clientDataJSON)
  // The challenge is spent first: whatever follows, this response cannot be tried twice.
  if (challenge === null || !(await consumeChallenge(ctx, challenge, 'authentication', null))) {
    return refuse(ctx, req, null)
  }
  const credential = await ctx.store.webauthn.findById(response.id)
  if (credential === null || !handleMatches(response, credential)) return refuse(ctx, req, null)
  if (!(await verifyAssertion(ctx, response, credential, challenge))) {
    return refuse(ctx, req, credential.userId)
  }
  const user = await ctx.store.users.findById(credential.userId)
  if (user === null) return refuse(ctx, req, null)
  // Told only to someone who proved the credential, as after a right password.
  if (user.disabled)
    throw new AuthError('account_disabled', { detail: 'This account has been disabled.' })
  if (ctx.settings.requireEmailVerification && !user.emailVerified) {
    throw new AuthError('email_not_verified', {
      detail: 'Verify your email address before signing in.',
    })
  }
  return startSession(ctx, user, req, 'user.login_succeeded', { method: 'passkey' })
}
