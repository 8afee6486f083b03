// CachedSession ⇄ JSON for Redis. Dates and byte arrays are tagged, so fields added to User or
// Session later round-trip without a change here. `lastSeenAt` is kept beside the JSON (the
// hash field `seen`), so a touch can move it forward without rewriting the entry.
import type { CachedSession } from '../../core/ports.js'

/**
 * Part of every key: bump it when the shape of Session or User changes incompatibly, so nodes
 * of a rolling deploy never read each other's entries.
 */
export const CODEC_VERSION = 'v1'

function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.getTime() }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map(encodeValue)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, encodeValue(inner)]),
    )
  }
  return value
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue)
  if (typeof value !== 'object' || value === null) return value
  const keys = Object.keys(value)
  if (keys.length === 1) {
    const date: unknown = Reflect.get(value, '$date')
    if (keys[0] === '$date' && typeof date === 'number') return new Date(date)
    const bytes: unknown = Reflect.get(value, '$bytes')
    if (keys[0] === '$bytes' && typeof bytes === 'string') {
      return new Uint8Array(Buffer.from(bytes, 'base64'))
    }
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decodeValue(inner)]))
}

export function encodeSession(entry: CachedSession): string {
  return JSON.stringify(encodeValue(entry))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Null for anything that is not an entry this codec wrote (damaged, or from another version):
 * the caller then reads the store, which is always right.
 */
export function decodeSession(data: string, lastSeenAtMs: number): CachedSession | null {
  let decoded: unknown
  try {
    decoded = decodeValue(JSON.parse(data))
  } catch {
    return null // not JSON: treated as a miss, see above
  }
  if (!isRecord(decoded) || !isRecord(decoded['session']) || !isRecord(decoded['user'])) return null
  const { session, user } = decoded
  const isShaped =
    typeof session['id'] === 'string' &&
    typeof session['userId'] === 'string' &&
    session['secretHash'] instanceof Uint8Array &&
    session['expiresAt'] instanceof Date &&
    typeof user['id'] === 'string' &&
    user['id'] === session['userId'] &&
    typeof user['disabled'] === 'boolean' &&
    Number.isFinite(lastSeenAtMs)
  if (!isShaped) return null
  const entry = { session: { ...session, lastSeenAt: new Date(lastSeenAtMs) }, user }
  return entry as unknown as CachedSession // fields checked above; written by encodeSession
}
