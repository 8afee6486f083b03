import { createHash, createHmac } from 'node:crypto'

/** SHA-256 of a high-entropy token: what we keep at rest instead of the token itself. */
export function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token, 'utf8').digest()
}

/** SHA-256 as hex, for lookup keys that live in text columns. */
export function hashToHex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

export function hmacSha256(key: Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}
