// SEC-REDIR-01: where to go after signing in (`next`) comes from a query string or travels
// through an OAuth round trip, so anyone can write it. Only a path on this site is accepted;
// anything else becomes `/`. The one rule for the pages and for social login alike.

const BASE = 'http://latchkey.invalid'
const MAX_LENGTH = 2048

/**
 * A same-site path such as `/secure?tab=1`, or `/`. Refused: anything not starting with one `/`
 * (`https://evil.com`, `evil.com`, `javascript:`), protocol-relative `//evil.com`, and any
 * backslash or control character, because browsers read `/\evil.com` as `//evil.com` and strip
 * tabs and newlines from URLs (`/\t/evil.com` would become `//evil.com`).
 */
export function sameSitePath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return '/'
  if (raw[0] !== '/' || raw[1] === '/' || raw[1] === '\\') return '/'
  if (/[\\\p{Cc}]/u.test(raw)) return '/'
  let url: URL
  try {
    url = new URL(raw, BASE)
  } catch {
    return '/'
  }
  // Dot segments can collapse into `//`: `/..//evil.com` has the path `//evil.com`.
  if (url.origin !== BASE || url.pathname.startsWith('//')) return '/'
  return raw
}
