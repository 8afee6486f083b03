// What both WebAuthn ceremonies share: who the relying party is, and the one-time challenge.
import { randomBytes } from 'node:crypto'
import { hashToken } from '../../crypto/hash-token.js'
import type { AuthSettings } from '../auth-options.js'
import type { CoreContext } from '../context.js'

export interface RelyingParty {
  /** The RP ID: PUBLIC_URL's host name (WebAuthn §5.1.4.1 allows no port, scheme or IP). */
  readonly id: string
  readonly name: string
  /** The origin the browser must report in clientDataJSON. */
  readonly origin: string
}

/**
 * From the configured public URL (the issuer is PUBLIC_URL), never from the request's Host
 * header: a forged Host must not choose which site's passkeys we accept.
 */
export function relyingPartyOf(settings: AuthSettings): RelyingParty {
  const url = new URL(settings.issuer)
  return { id: url.hostname, name: url.hostname, origin: url.origin }
}

export type Ceremony = 'registration' | 'authentication'

/** Short: the browser gives the user a minute (the options' timeout), we allow a little more. */
export const CHALLENGE_TTL_SECONDS = 5 * 60
export const CEREMONY_TIMEOUT_MS = 60_000

/** 32 bytes from the CSPRNG (WebAuthn §13.4.3 asks for at least 16). */
export function newChallenge(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(32))
}

/**
 * Keeps the challenge (as its hash) as a one-time token: the ceremony's response names it in
 * clientDataJSON, and it is consumed before the signature is even checked, so a response can be
 * presented once, within its few minutes, for the ceremony and user it was issued for.
 */
export async function rememberChallenge(
  ctx: CoreContext,
  challenge: string,
  ceremony: Ceremony,
  userId: string | null,
): Promise<void> {
  const now = ctx.clock.now()
  await ctx.store.oneTimeTokens.issue({
    tokenHash: hashToken(challenge),
    purpose: 'webauthn_challenge',
    userId,
    email: null,
    data: { ceremony },
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000),
  })
}

/** The challenge string inside a response's base64url clientDataJSON, or null. */
export function challengeOf(clientDataJSON: string): string | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'))
    const challenge: unknown =
      typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'challenge') : undefined
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 256
      ? challenge
      : null
  } catch {
    return null
  }
}

/**
 * Spends the challenge; true only for the first presentation, before expiry, of a challenge
 * issued for this ceremony (and, for registration, this user).
 */
export async function consumeChallenge(
  ctx: CoreContext,
  challenge: string,
  ceremony: Ceremony,
  userId: string | null,
): Promise<boolean> {
  const result = await ctx.store.oneTimeTokens.consume(
    hashToken(challenge),
    'webauthn_challenge',
    ctx.clock.now(),
  )
  return (
    result?.kind === 'consumed' && result.data['ceremony'] === ceremony && result.userId === userId
  )
}
