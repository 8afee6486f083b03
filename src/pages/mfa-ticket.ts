import type { FastifyReply, FastifyRequest } from 'fastify'

// Between the password step and the code step of a 2FA login, the single-use ticket from core
// waits in its own HttpOnly cookie: never in the page, the URL or a form field, where it could
// leak through history, logs or a Referer. It opens nothing by itself (SEC-SESS-08).
const MFA_COOKIE = '__Host-latchkey_mfa'
// Strict: only our own code form ever posts it back.
const ATTRIBUTES = { path: '/', secure: true, httpOnly: true, sameSite: 'strict' } as const

export function setMfaTicket(reply: FastifyReply, ticket: string, expiresAt: Date): void {
  const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000))
  reply.setCookie(MFA_COOKIE, ticket, { ...ATTRIBUTES, maxAge })
}

export function readMfaTicket(request: FastifyRequest): string | null {
  const ticket = request.cookies[MFA_COOKIE]
  return ticket === undefined || ticket === '' ? null : ticket
}

export function clearMfaTicket(reply: FastifyReply): void {
  reply.setCookie(MFA_COOKIE, '', { ...ATTRIBUTES, maxAge: 0, expires: new Date(0) })
}
