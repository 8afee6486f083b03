import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify'

// SEC-RESET-05: a link's token must not linger in the address bar, the history, a Referer header
// or the page. Its first load moves it into an HttpOnly `__Host-` cookie that lives no longer
// than the token and redirects to the bare path; the form posts read it from there.
const COOKIES = { reset: '__Host-latchkey_reset', verify: '__Host-latchkey_verify' } as const
const ATTRIBUTES = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const
const MAX_TOKEN_LENGTH = 512

export type LinkKind = keyof typeof COOKIES

/** The `token` query parameter, when there is exactly one of a sane length. */
export function linkTokenInQuery(request: FastifyRequest): string | null {
  const query = request.query
  const token: unknown =
    typeof query === 'object' && query !== null ? Reflect.get(query, 'token') : undefined
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_LENGTH
    ? token
    : null
}

export function keepLinkToken(
  reply: FastifyReply,
  kind: LinkKind,
  token: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(COOKIES[kind], token, { ...ATTRIBUTES, maxAge: maxAgeSeconds })
}

export function linkTokenOf(request: FastifyRequest, kind: LinkKind): string | null {
  const token = request.cookies[COOKIES[kind]]
  return token === undefined || token === '' ? null : token
}

export function dropLinkToken(reply: FastifyReply, kind: LinkKind): void {
  reply.setCookie(COOKIES[kind], '', { ...ATTRIBUTES, maxAge: 0, expires: new Date(0) })
}

/**
 * A route-level onSend hook (it runs after the pages' `same-origin`): the answer to a URL that
 * carries a token sends no Referer anywhere, not even on the redirect it answers with. Only that
 * answer: the form page itself keeps `same-origin`, since under `no-referrer` Chromium posts the
 * form with `Origin: null`, which the origin check refuses.
 */
export const noReferrerForLinks: onSendHookHandler = (request, reply, payload, done) => {
  if (linkTokenInQuery(request) !== null) reply.header('referrer-policy', 'no-referrer')
  done(null, payload)
}
