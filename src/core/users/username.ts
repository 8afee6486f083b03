import type { FieldError } from '../errors.js'

const USERNAME_SHAPE = /^[\p{L}\p{N}][\p{L}\p{N}._-]{1,31}$/u

/** NFKC so that look-alike compatibility forms (full-width letters) collapse to one spelling. */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim()
}

/** The uniqueness and lookup key: case-insensitive, as the contract says. */
export function usernameKey(username: string): string {
  return normalizeUsername(username).toLowerCase()
}

export function checkUsername(username: string): FieldError | null {
  if (!USERNAME_SHAPE.test(username)) {
    return {
      path: '/username',
      message:
        'must be 2-32 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    }
  }
  return null
}
