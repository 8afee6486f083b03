// SEC-REDIR-01 through OAuth: `next` travels from /start to /callback, so it is checked when the
// flow starts and again before the redirect. Core's own copy of the rule in src/pages/next-path.ts
// (core may not import pages/); test/core/oauth-next-path.test.ts holds both to the same cases.

const BASE = 'http://latchkey.invalid'
const MAX_LENGTH = 1024

/**
 * A same-site path such as `/secure?tab=1`, or `/`. Refused: absolute and protocol-relative
 * URLs, backslashes (`/\evil.com` is `//evil.com` to a browser), control characters (browsers
 * strip tabs and newlines, so `/\t/evil.com` would become `//evil.com`) and dot segments that
 * collapse into `//`.
 */
export function sameSitePath(raw: string | null | undefined): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return '/'
  if (raw[0] !== '/' || raw[1] === '/' || raw[1] === '\\') return '/'
  if (/[\\\p{Cc}]/u.test(raw)) return '/'
  let url: URL
  try {
    url = new URL(raw, BASE)
  } catch {
    return '/'
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return '/'
  return raw
}
