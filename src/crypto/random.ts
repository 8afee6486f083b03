import { randomBytes, randomUUID } from 'node:crypto'

/** A URL-safe random string of `bytes` bytes from the CSPRNG (32 bytes = 256 bits by default). */
export function generateRandomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** Opaque ids for rows (users, audit events); not secrets. */
export function generateId(): string {
  return randomUUID()
}
