import type { FieldError } from '../errors.js'

const MAX_EMAIL_LENGTH = 254 // RFC 5321 §4.5.3.1.3 path limit, less the angle brackets
const MAX_LOCAL_LENGTH = 64

// Deliberately plain: one @, a non-empty local part without spaces or control characters, and
// a dotted domain. The proof that an address works is the verification mail, not a regex.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}.]+$/u

/**
 * Trimmed and lower-cased as a whole: the contract asks for case-insensitive uniqueness, and
 * every mainstream provider treats the local part case-insensitively.
 */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase()
}

export function checkEmail(email: string): FieldError | null {
  const [local = ''] = email.split('@')
  if (email.length > MAX_EMAIL_LENGTH || local.length > MAX_LOCAL_LENGTH) {
    return { path: '/email', message: 'is too long' }
  }
  if (!EMAIL_SHAPE.test(email) || email.includes('..')) {
    return { path: '/email', message: 'is not a valid email address' }
  }
  return null
}
