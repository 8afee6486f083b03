// Flash messages are a closed set of codes with fixed texts. A flash travels in a cookie that
// only ever carries the code, so nobody can make a page show text of their choosing, however
// the cookie was set (no reflected content, no phishing text under our logo).

const FLASH_MESSAGES = {
  registered: { kind: 'success', text: 'Your account has been created. Sign in to continue.' },
  'signed-in': { kind: 'success', text: 'You are signed in.' },
  'signed-out': { kind: 'success', text: 'You have been signed out.' },
  'session-ended': {
    kind: 'error',
    text: 'Your session has ended. Sign in again to continue.',
  },
  'profile-saved': { kind: 'success', text: 'Your profile has been saved.' },
  'password-changed': {
    kind: 'success',
    text: 'Your password has been changed. Your other devices have been signed out.',
  },
  'session-revoked': { kind: 'success', text: 'That device has been signed out.' },
  'signed-out-everywhere': {
    kind: 'success',
    text: 'All your sessions have been ended, including this one.',
  },
  'user-disabled': {
    kind: 'success',
    text: 'The account has been disabled and its sessions ended.',
  },
  'user-enabled': { kind: 'success', text: 'The account has been enabled.' },
  'role-changed': {
    kind: 'success',
    text: 'The role has been changed; the user has been signed out everywhere.',
  },
  'sessions-revoked': { kind: 'success', text: "The user's sessions have been ended." },
  'user-not-found': { kind: 'error', text: 'That user no longer exists.' },
  // SEC-ENUM-03: the same words whether or not an account has the address.
  'reset-link-sent': {
    kind: 'success',
    text: 'If an account uses that address, a link to choose a new password is on its way. Check your inbox.',
  },
  'password-reset': {
    kind: 'success',
    text: 'Your password has been changed and every device signed out. Sign in with the new password.',
  },
  'email-verified': { kind: 'success', text: 'Your email address is confirmed.' },
  'verification-sent': {
    kind: 'success',
    text: 'A new confirmation link is on its way. Check your inbox.',
  },
  'identity-linked': {
    kind: 'success',
    text: 'The account has been linked: you can sign in with it now.',
  },
  'identity-unlinked': { kind: 'success', text: 'The account has been unlinked.' },
  'identity-last-sign-in': {
    kind: 'error',
    text: 'That is the only way to sign in to your account. Set a password or link another account first.',
  },
  'mfa-expired': {
    kind: 'error',
    text: 'The sign-in took too long or was already used. Enter your password again.',
  },
  'mfa-disabled': { kind: 'success', text: 'Two-factor authentication is off.' },
  'mfa-code-wrong': {
    kind: 'error',
    text: 'That code was not right, or it was already used. Nothing was changed.',
  },
  'mfa-too-many': {
    kind: 'error',
    text: 'Too many wrong codes. Wait a few minutes and try again.',
  },
  'reauth-required': {
    kind: 'error',
    text: 'To add a way of signing in, sign out and sign in again first.',
  },
  'passkey-deleted': { kind: 'success', text: 'The passkey has been deleted.' },
} as const satisfies Record<string, { kind: 'success' | 'error'; text: string }>

export type FlashCode = keyof typeof FLASH_MESSAGES

export interface FlashMessage {
  readonly kind: 'success' | 'error'
  readonly text: string
}

export function isFlashCode(value: string): value is FlashCode {
  return Object.hasOwn(FLASH_MESSAGES, value)
}

export function flashMessage(code: FlashCode): FlashMessage {
  return FLASH_MESSAGES[code]
}
