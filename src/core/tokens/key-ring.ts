import type { JSONWebKeySet } from '../auth-api.js'
import type { Clock, KeyStore, Logger } from '../ports.js'
import { loadSigningKeys, type SigningKey, type SigningKeyRing } from './signing-keys.js'

export interface KeyRingOptions {
  /** How often every node rereads the keys, so a `keys rotate` reaches it without a restart. */
  readonly reloadIntervalMs: number
  /** Floor between reloads caused by an unknown `kid`, so junk tokens cannot hammer the store. */
  readonly unknownKidCooldownMs: number
}

export const DEFAULT_KEY_RING_OPTIONS: KeyRingOptions = {
  reloadIntervalMs: 60_000,
  unknownKidCooldownMs: 10_000,
}

/** The ring core signs and verifies with, kept current with the store. */
export interface LiveKeyRing extends SigningKeyRing {
  jwks(): JSONWebKeySet
  reload(): Promise<void>
  /**
   * After a rotation on another node, tokens signed by the new key can arrive here before the
   * periodic reload: reread the store once (rate-limited) and report whether `kid` is now known.
   */
  reloadForUnknownKid(kid: string): Promise<boolean>
  close(): void
}

function toJWKS(ring: SigningKeyRing): JSONWebKeySet {
  return { keys: [...ring.byKid.values()].map((k) => k.publicJwk) }
}

export async function openKeyRing(
  keys: KeyStore,
  secret: Uint8Array,
  clock: Clock,
  logger: Logger,
  options: KeyRingOptions = DEFAULT_KEY_RING_OPTIONS,
): Promise<LiveKeyRing> {
  let ring = await loadSigningKeys(keys, secret, clock.now())
  let jwks = toJWKS(ring)
  let lastReloadAt = 0
  let inFlight: Promise<void> | undefined

  function reload(): Promise<void> {
    inFlight ??= loadSigningKeys(keys, secret, clock.now())
      .then((next) => {
        ring = next
        jwks = toJWKS(next)
      })
      .finally(() => {
        lastReloadAt = Date.now()
        inFlight = undefined
      })
    return inFlight
  }

  const timer = setInterval(() => {
    // A store hiccup keeps the ring we have: every key in it is still valid.
    reload().catch((error: unknown) =>
      logger.error({ err: error }, 'could not reload signing keys'),
    )
  }, options.reloadIntervalMs)
  timer.unref()

  return {
    get current(): SigningKey {
      return ring.current
    },
    get byKid(): ReadonlyMap<string, SigningKey> {
      return ring.byKid
    },
    jwks: () => jwks,
    reload,
    async reloadForUnknownKid(kid: string): Promise<boolean> {
      if (ring.byKid.has(kid)) return true
      if (Date.now() - lastReloadAt < options.unknownKidCooldownMs) return false
      await reload()
      return ring.byKid.has(kid)
    },
    close: () => clearInterval(timer),
  }
}

/** The `kid` of a compact JWS, unverified: only a lookup key, never trusted for anything else. */
export function peekKid(token: string): string | null {
  const header = token.split('.', 1)[0]
  if (header === undefined || header.length > 1024) return null
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
    if (typeof parsed !== 'object' || parsed === null || !('kid' in parsed)) return null
    return typeof parsed.kid === 'string' ? parsed.kid : null
  } catch {
    return null
  }
}
