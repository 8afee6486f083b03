import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto'
import { decryptString, deriveKey, encryptString } from '../../crypto/secret-keys.js'
import { generateRandomToken } from '../../crypto/random.js'
import type { KeyStore } from '../ports.js'

export interface SigningKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly publicJwk: Record<string, unknown>
  readonly createdAt: Date
}

export interface SigningKeyRing {
  /** The newest key signs. */
  readonly current: SigningKey
  /** Every published key verifies (rotation keeps old ones until their tokens expire). */
  readonly byKid: ReadonlyMap<string, SigningKey>
}

function encryptionKey(secret: Uint8Array): Buffer {
  return deriveKey(secret, 'signing-keys')
}

/**
 * Generates a new Ed25519 key and stores it; being the newest, it signs from the next (re)load
 * on, while the older keys stay in the store and keep verifying (`latchkey keys rotate`).
 * @returns the new key's `kid`
 */
export async function addSigningKey(
  keys: KeyStore,
  secret: Uint8Array,
  now: Date,
): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519')
  const kid = generateRandomToken(12)
  const publicJwk = {
    ...createPublicKey(privateKey).export({ format: 'jwk' }),
    kid,
    alg: 'EdDSA',
    use: 'sig',
  }
  await keys.addSigningKey({
    kid,
    alg: 'EdDSA',
    publicJwk: JSON.stringify(publicJwk),
    privateJwkEncrypted: encryptString(
      encryptionKey(secret),
      JSON.stringify(privateKey.export({ format: 'jwk' })),
    ),
    createdAt: now,
  })
  return kid
}

/**
 * Loads the signing keys, creating the first one on a fresh database. Keys live in the store
 * (so every node signs and verifies alike) with the private half sealed by the instance secret.
 * Ed25519: small, fast, and there is no algorithm choice to confuse (RFC 8725 §3.1).
 */
export async function loadSigningKeys(
  keys: KeyStore,
  secret: Uint8Array,
  now: Date,
): Promise<SigningKeyRing> {
  let stored = await keys.listSigningKeys()
  if (stored.length === 0) {
    await addSigningKey(keys, secret, now)
    stored = await keys.listSigningKeys()
  }
  const ring = stored
    .map((row): SigningKey => {
      const privateJwk: unknown = JSON.parse(
        decryptString(encryptionKey(secret), row.privateJwkEncrypted),
      )
      const privateKey = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }) // our own sealed JWK
      const publicJwk = JSON.parse(row.publicJwk) as Record<string, unknown> // written by us above
      return {
        kid: row.kid,
        privateKey,
        publicKey: createPublicKey(privateKey),
        publicJwk,
        createdAt: row.createdAt,
      }
    })
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
  const current = ring[0]
  if (current === undefined) throw new Error('no signing key could be loaded')
  return { current, byKid: new Map(ring.map((k) => [k.kid, k])) }
}
