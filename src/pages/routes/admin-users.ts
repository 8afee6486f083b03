import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AdminUserPatch } from '../../core/auth-api.js'
import { AuthError } from '../../core/errors.js'
import { principalOf, requestContext } from '../../http/guards.js'
import type { FlashCode } from '../../views/flash.js'
import { adminUsersPage } from '../../views/pages/admin-users.js'
import { verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { param, readForm, readQuery, text, type FormFields } from '../form.js'
import { safeNextPath } from '../next-path.js'
import type { PageDeps } from '../page-deps.js'
import { requireAdmin } from '../page-session.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

const PAGE_SIZE = 25

/** Back to the listing the admin acted from; only ever a page of the user list. */
function returnTo(form: FormFields): string {
  const path = safeNextPath(text(form, 'return_to'))
  return path === '/admin/users' || path.startsWith('/admin/users?') ? path : '/admin/users'
}

function roleOf(form: FormFields): 'user' | 'admin' {
  const role = text(form, 'role')
  if (role === 'user' || role === 'admin') return role
  throw new AuthError('invalid_request', { detail: 'Unknown role.' })
}

export function adminUserPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps
  const admin = { preHandler: [deps.signedIn, requireAdmin] }
  const adminPost = { preHandler: [deps.signedIn, requireAdmin, verifySessionForm] }

  app.get('/admin/users', admin, async (request, reply) => {
    const query = readQuery(request.query)
    const q = text(query, 'q').trim()
    const cursor = text(query, 'cursor') || null
    const page = await auth.listUsers(principalOf(request), {
      q,
      limit: PAGE_SIZE,
      ...(cursor === null ? {} : { cursor }),
    })
    const model = {
      users: page.items,
      q,
      cursor,
      nextCursor: page.nextCursor,
      selfId: principalOf(request).user.id,
    }
    return sendPage(reply, adminUsersPage(chromeOf(request, reply, deps.stylesheetHref), model))
  })

  /** One admin action: one core call, then back to the list with a fixed message. */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    run: (userId: string, form: FormFields) => Promise<unknown>,
    done: FlashCode,
  ): Promise<FastifyReply> {
    const form = readForm(request.body)
    try {
      await run(param(request.params, 'id'), form)
      setFlash(reply, done)
    } catch (error) {
      if (!(error instanceof AuthError && error.code === 'not_found')) throw error
      setFlash(reply, 'user-not-found')
    }
    return seeOther(reply, returnTo(form))
  }

  const update = (request: FastifyRequest, id: string, patch: AdminUserPatch): Promise<unknown> =>
    auth.updateUser(principalOf(request), id, patch, requestContext(request))

  app.post('/admin/users/:id/disable', adminPost, async (request, reply) =>
    act(request, reply, (id) => update(request, id, { disabled: true }), 'user-disabled'),
  )
  app.post('/admin/users/:id/enable', adminPost, async (request, reply) =>
    act(request, reply, (id) => update(request, id, { disabled: false }), 'user-enabled'),
  )
  app.post('/admin/users/:id/role', adminPost, async (request, reply) =>
    act(request, reply, (id, form) => update(request, id, { role: roleOf(form) }), 'role-changed'),
  )
  app.post('/admin/users/:id/revoke-sessions', adminPost, async (request, reply) =>
    act(
      request,
      reply,
      (id) => auth.revokeUserSessions(principalOf(request), id, requestContext(request)),
      'sessions-revoked',
    ),
  )
}
