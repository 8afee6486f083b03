// `next` for the page routes: read from a query string, and carried on to the login page.
import { sameSitePath as safeNextPath } from '../core/redirect-path.js'

/** The core rule (core/redirect-path.ts), under the name the page routes use. */
export { safeNextPath }

/** `next` from a request's query string, checked. */
export function nextFromQuery(query: unknown): string {
  return safeNextPath(
    typeof query === 'object' && query !== null ? Reflect.get(query, 'next') : undefined,
  )
}

/** `path?next=...`, leaving the default `/` out. */
export function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?${new URLSearchParams({ next }).toString()}`
}
