import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHTML } from '../views/html.js'
import type { Chrome } from '../views/model.js'
import { csrfTokenFor } from './csrf.js'
import { takeFlash } from './flash.js'

/** The parts of the layout that come from the request: who, token, flash, current path. */
export function chromeOf(
  request: FastifyRequest,
  reply: FastifyReply,
  stylesheetHref: string,
): Chrome {
  return {
    user: request.principal?.user ?? null,
    csrfToken: csrfTokenFor(request, reply),
    flash: takeFlash(request, reply),
    stylesheetHref,
    path: request.url.split('?', 1)[0] ?? '/',
  }
}

export function sendPage(reply: FastifyReply, page: SafeHTML, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.toString())
}

/** POST-redirect-GET: 303 makes the browser follow with a GET, so a reload never re-posts. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303)
}
