import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AuthErrorCode } from '../core/errors.js'
import { statusByCode, toAuthError } from '../http/problem.js'
import { errorPage } from '../views/pages/error.js'
import { chromeOf, sendPage } from './render.js'

interface Wording {
  readonly title: string
  readonly message: string
}

const GENERIC: Wording = {
  title: 'Something went wrong',
  message: 'Something went wrong on our side. It has been logged; please try again.',
}
const REFUSED: Wording = {
  title: 'Request refused',
  message: 'This request could not be completed. Go back and try again.',
}
const UNREADABLE: Wording = {
  title: 'The form could not be read',
  message: 'The form could not be read. Go back, reload the page and try again.',
}

// Fixed texts only: nothing from the request or from core's detail reaches the page.
const WORDING: Partial<Record<AuthErrorCode, Wording>> = {
  csrf_failed: {
    title: 'This form has expired',
    message:
      'We could not confirm that this form was sent from this site. Go back, reload the page and try again.',
  },
  forbidden: { title: 'Not allowed', message: 'You do not have permission to do this.' },
  not_found: { title: 'Not found', message: 'There is nothing here.' },
  rate_limited: {
    title: 'Too many requests',
    message: 'Too many requests from your address. Wait a minute and try again.',
  },
  invalid_request: UNREADABLE,
  unsupported_media_type: UNREADABLE,
  payload_too_large: UNREADABLE,
  validation_failed: UNREADABLE,
}

/** The pages' error handler: an HTML page with the right status, never a stack or the input. */
export function pageErrorHandler(
  stylesheetHref: string,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return function handlePageError(
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply {
    const mapped = toAuthError(error)
    if (mapped === null) request.log.error({ err: error }, 'unhandled error on a page')
    const status = mapped === null ? 500 : statusByCode[mapped.code]
    const wording =
      (mapped === null ? undefined : WORDING[mapped.code]) ?? (status < 500 ? REFUSED : GENERIC)
    if (mapped?.code === 'rate_limited') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(mapped.retryAfterSeconds ?? 60))))
    }
    const chrome = chromeOf(request, reply, stylesheetHref)
    return sendPage(reply, errorPage(chrome, { status, ...wording }), status)
  }
}
