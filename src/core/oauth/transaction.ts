// The sign-in transaction between /start and /callback, kept by the browser that started it in
// an encrypted, HttpOnly, SameSite=Lax `__Host-` cookie (SEC-OIDC-01, SEC-OIDC-02): the state,
// the nonce and the PKCE verifier never leave the server in clear, and a callback arriving in
// another browser finds no transaction to match. Single use is enforced server-side as well:
// the state's hash is a one-time token, consumed atomically by the first callback.
import { decryptString, encryptString } from '../../crypto/secret-keys.js'

/** RFC 9700 §4.7: state is short-lived. Ten minutes is long enough to type a password and 2FA. */
export const TRANSACTION_TTL_SECONDS = 600

export interface OAuthTransaction {
  readonly provider: string
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
  /** Where to go afterwards; a same-site path, checked again when it is used. */
  readonly next: string
  readonly intent: 'login' | 'link'
  /** For `link`: the account and the session that asked for it. */
  readonly userId: string | null
  readonly sessionId: string | null
  readonly expiresAt: Date
}

export function sealTransaction(key: Uint8Array, transaction: OAuthTransaction): string {
  return encryptString(
    key,
    JSON.stringify({ ...transaction, expiresAt: transaction.expiresAt.getTime() }),
  )
}

function stringOrNull(value: unknown): string | null | undefined {
  if (value === null) return null
  return typeof value === 'string' ? value : undefined
}

/** The transaction, or null when the value is missing, forged, damaged or from another key. */
export function openTransaction(key: Uint8Array, sealed: string | null): OAuthTransaction | null {
  if (sealed === null || sealed === '' || sealed.length > 8192) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(decryptString(key, sealed))
  } catch {
    return null // AES-GCM refused it (tampered or foreign) or it is not ours
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const get = (name: string): unknown => Reflect.get(parsed, name)
  const fields = ['provider', 'state', 'nonce', 'codeVerifier', 'next'].map(get)
  const [provider, state, nonce, codeVerifier, next] = fields
  const intent = get('intent')
  const userId = stringOrNull(get('userId'))
  const sessionId = stringOrNull(get('sessionId'))
  const expiresAt = get('expiresAt')
  if (
    typeof provider !== 'string' ||
    typeof state !== 'string' ||
    typeof nonce !== 'string' ||
    typeof codeVerifier !== 'string' ||
    typeof next !== 'string' ||
    (intent !== 'login' && intent !== 'link') ||
    userId === undefined ||
    sessionId === undefined ||
    typeof expiresAt !== 'number'
  ) {
    return null
  }
  return {
    provider,
    state,
    nonce,
    codeVerifier,
    next,
    intent,
    userId,
    sessionId,
    expiresAt: new Date(expiresAt),
  }
}
