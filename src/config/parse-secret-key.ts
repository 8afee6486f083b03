import { ConfigError } from './config-error.js'

export const MIN_SECRET_BYTES = 32

/**
 * `SECRET_KEY`: 32+ random bytes written as hex, base64 or base64url. Hex is tried first, since a
 * hex string is also valid base64 and would otherwise decode to the wrong bytes. The value itself
 * never appears in an error message.
 */
export function parseSecretKey(name: string, raw: string): Uint8Array {
  const text = raw.trim()
  let bytes: Uint8Array | undefined
  if (/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 && text.length >= MIN_SECRET_BYTES * 2) {
    bytes = new Uint8Array(Buffer.from(text, 'hex'))
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    // Node's base64 decoder accepts the base64url alphabet as well.
    bytes = new Uint8Array(Buffer.from(text, 'base64'))
  }
  if (bytes === undefined) {
    throw new ConfigError(
      name,
      'expected 32+ random bytes as base64, base64url or hex (e.g. `openssl rand -base64 32`), got a value that is none of these',
    )
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new ConfigError(
      name,
      `expected at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 32\`), got ${bytes.length}`,
    )
  }
  return bytes
}
