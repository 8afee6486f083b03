import type { FastifyReply, FastifyRequest } from 'fastify'
import { flashMessage, isFlashCode, type FlashCode, type FlashMessage } from '../views/flash.js'

// Only a code from the closed list in views/flash.ts ever travels here, so the cookie needs no
// signature: forging it can only show one of our own fixed messages.
const FLASH_COOKIE = '__Host-latchkey_flash'
const ATTRIBUTES = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const
// Long enough to survive the redirect it rides on, short enough not to pop up days later.
const FLASH_TTL_SECONDS = 60

export function setFlash(reply: FastifyReply, code: FlashCode): void {
  reply.setCookie(FLASH_COOKIE, code, { ...ATTRIBUTES, maxAge: FLASH_TTL_SECONDS })
}

/** The flash for this page view, removed so it shows once. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): FlashMessage | null {
  const code = request.cookies[FLASH_COOKIE]
  if (code === undefined) return null
  reply.setCookie(FLASH_COOKIE, '', { ...ATTRIBUTES, maxAge: 0, expires: new Date(0) })
  return isFlashCode(code) ? flashMessage(code) : null
}
