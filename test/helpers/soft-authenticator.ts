// A software WebAuthn authenticator for the HTTP tests: ES256 (P-256) keys, `none` attestation,
// user presence and verification flags set, a signature counter. It builds exactly what a
// browser would send (WebAuthn L3 §6.1 authenticator data, §6.5 attestation object), so the
// server's real @simplewebauthn verification runs. The browser test uses Chromium's own.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

type CBOR = number | string | Uint8Array | ReadonlyMap<number | string, CBOR>

function header(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length])
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length])
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff])
  const out = Buffer.alloc(5)
  out[0] = (major << 5) | 26
  out.writeUInt32BE(length, 1)
  return out
}

/** Just enough CBOR (RFC 8949) for COSE keys and attestation objects. */
export function encodeCBOR(value: CBOR): Buffer {
  if (typeof value === 'number') return value >= 0 ? header(0, value) : header(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([header(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) return Buffer.concat([header(2, value.length), value])
  const parts = [header(5, value.size)]
  for (const [key, item] of value) parts.push(encodeCBOR(key), encodeCBOR(item))
  return Buffer.concat(parts)
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest()

export interface CeremonyOptions {
  readonly challenge: string
  /** The origin the "browser" reports; the server must insist on PUBLIC_URL's. */
  readonly origin?: string
  readonly rpId?: string
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16)
  readonly #privateKey: KeyObject
  readonly #publicKey: KeyObject
  counter = 0
  readonly #userHandle: string | null

  constructor(userId: string | null = null) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.#privateKey = privateKey
    this.#publicKey = publicKey
    this.#userHandle = userId
  }

  get id(): string {
    return b64url(this.credentialId)
  }

  #coseKey(): Buffer {
    const jwk = this.#publicKey.export({ format: 'jwk' })
    const coordinate = (value: string | undefined): Buffer => Buffer.from(value ?? '', 'base64url')
    // kty EC2, alg ES256, crv P-256, x, y (RFC 9053 §7.1).
    return encodeCBOR(
      new Map<number, CBOR>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, coordinate(jwk.x)],
        [-3, coordinate(jwk.y)],
      ]),
    )
  }

  #authData(rpId: string, flags: number, attested: Buffer | null): Buffer {
    const count = Buffer.alloc(4)
    count.writeUInt32BE(this.counter)
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)])
  }

  #clientData(type: string, options: CeremonyOptions): Buffer {
    const origin = options.origin ?? 'http://localhost:3000'
    return Buffer.from(
      JSON.stringify({ type, challenge: options.challenge, origin, crossOrigin: false }),
    )
  }

  /** RegistrationResponseJSON for `navigator.credentials.create()`. */
  register(options: CeremonyOptions): Record<string, unknown> {
    const idLength = Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff])
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.#coseKey()])
    // UP (0x01) | UV (0x04) | AT (0x40)
    const authData = this.#authData(options.rpId ?? 'localhost', 0x45, attested)
    const attestationObject = encodeCBOR(
      new Map<string, CBOR>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(this.#clientData('webauthn.create', options)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    }
  }

  /** AuthenticationResponseJSON for `navigator.credentials.get()`; bumps the counter. */
  assert(options: CeremonyOptions & { readonly bumpCounter?: boolean }): Record<string, unknown> {
    if (options.bumpCounter !== false) this.counter += 1
    const authData = this.#authData(options.rpId ?? 'localhost', 0x05, null)
    const clientData = this.#clientData('webauthn.get', options)
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientData)]),
      this.#privateKey,
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.#userHandle === null ? {} : { userHandle: b64url(Buffer.from(this.#userHandle)) }),
      },
    }
  }
}
