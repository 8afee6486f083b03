import { dictionary } from '@zxcvbn-ts/language-common'
import type { FieldError } from '../errors.js'

/** Facts about the account that must not be the whole password (NIST SP 800-63B §3.1.1.2). */
export interface PasswordContext {
  readonly email?: string | null | undefined
  readonly username?: string | null | undefined
  readonly name?: string | null | undefined
}

// The zxcvbn-ts list (~49k leaked passwords) is mostly shorter than our 15-character default;
// these are long ones that still top breach corpora.
const LONG_COMMON_PASSWORDS = [
  'passwordpassword',
  'correcthorsebatterystaple',
  'iloveyouiloveyou',
  'qwertyuiopasdfghjkl',
  'qwertyuiopasdfgh',
  '123456789012345',
  '1234567890123456',
  '12345678901234567890',
  'abcdefghijklmnop',
  'abcdefghijklmnopqrstuvwxyz',
  'thequickbrownfoxjumpsoverthelazydog',
  'letmeinletmein',
  'password1234567',
  'password12345678',
  'administrator123',
  'changemechangeme',
  'latchkeylatchkey',
]

const COMMON = new Set<string>([
  ...(dictionary['passwords-common'] as readonly string[]), // the package types it as string[]
  ...LONG_COMMON_PASSWORDS,
  'latchkey',
])

function isCommon(candidate: string): boolean {
  return COMMON.has(candidate.toLowerCase())
}

/** "passwordpassword", "aaaaaaaaaaaaaaaa", "abcabcabcabcabc": a short unit or a common word, repeated. */
function isRepetition(chars: readonly string[]): boolean {
  for (let unit = 1; unit <= chars.length / 2; unit++) {
    if (chars.length % unit !== 0) continue
    const head = chars.slice(0, unit).join('')
    if (head.repeat(chars.length / unit) !== chars.join('')) continue
    if (unit <= 4 || isCommon(head)) return true
  }
  return false
}

function contextWords(context: PasswordContext): string[] {
  const words: string[] = []
  if (context.email) {
    words.push(context.email, context.email.split('@')[0] ?? '')
  }
  if (context.username) words.push(context.username)
  if (context.name) words.push(context.name, context.name.replace(/\s+/g, ''))
  return words.filter((w) => w.length > 0).map((w) => w.toLowerCase())
}

/**
 * NIST SP 800-63B rev. 4 §3.1.1.2: a length floor and ceiling counted in code points, no
 * composition rules, and a blocklist of common and context-specific passwords matched against
 * the whole password. The password is checked exactly as received: no trimming, no case folding
 * (case folding is used only to match the blocklist).
 */
export function checkPassword(
  password: string,
  limits: { readonly minLength: number; readonly maxLength: number },
  context: PasswordContext,
  path = '/password',
): FieldError | null {
  const chars = [...password]
  if (chars.length < limits.minLength) {
    return { path, message: `must be at least ${limits.minLength} characters long` }
  }
  if (chars.length > limits.maxLength) {
    return { path, message: `must be at most ${limits.maxLength} characters long` }
  }
  const lowered = password.toLowerCase()
  if (isCommon(password) || isRepetition(chars)) {
    return {
      path,
      message: 'is too common: it appears in lists of breached or easily guessed passwords',
    }
  }
  if (contextWords(context).includes(lowered)) {
    return { path, message: 'must not be your email address, username or name' }
  }
  return null
}
