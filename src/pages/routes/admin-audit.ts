import type { FastifyInstance } from 'fastify'
import type { AuditListQuery } from '../../core/auth-api.js'
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../core/types.js'
import { principalOf } from '../../http/guards.js'
import { adminAuditPage } from '../../views/pages/admin-audit.js'
import { keep, readQuery, text, type FormFields } from '../form.js'
import type { PageDeps } from '../page-deps.js'
import { requireAdmin } from '../page-session.js'
import { chromeOf, sendPage } from '../render.js'

const PAGE_SIZE = 50
const DAY_MS = 86_400_000
const FILTERS = ['type', 'user_id', 'since', 'until'] as const

function isEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value)
}

/** A day (the date input's YYYY-MM-DD, read as UTC) or a full ISO 8601 instant. */
function parseInstant(value: string): Date | null {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

type Parsed = { readonly query: AuditListQuery; readonly errors: Record<string, string> }

/** The filters as core's query, or what is wrong with them, per field. */
function parseFilters(form: FormFields): Parsed {
  const errors: Record<string, string> = {}
  const type = text(form, 'type')
  const userId = text(form, 'user_id').trim()
  const since = text(form, 'since') === '' ? undefined : parseInstant(text(form, 'since'))
  const untilRaw = text(form, 'until')
  let until = untilRaw === '' ? undefined : parseInstant(untilRaw)
  if (type !== '' && !isEventType(type)) errors['type'] = 'is not a known event type'
  if (since === null) errors['since'] = 'must be a date such as 2026-03-01'
  if (until === null) errors['until'] = 'must be a date such as 2026-03-01'
  // A bare day means "up to the end of that day", as the form's hint says.
  if (until instanceof Date && /^\d{4}-\d{2}-\d{2}$/.test(untilRaw))
    until = new Date(until.getTime() + DAY_MS - 1)
  const cursor = text(form, 'cursor')
  const query: AuditListQuery = {
    limit: PAGE_SIZE,
    ...(type !== '' && isEventType(type) ? { type } : {}),
    ...(userId !== '' ? { userId } : {}),
    ...(since instanceof Date ? { since } : {}),
    ...(until instanceof Date ? { until } : {}),
    ...(cursor !== '' ? { cursor } : {}),
  }
  return { query, errors }
}

export function auditPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps

  app.get('/admin/audit', { preHandler: [deps.signedIn, requireAdmin] }, async (request, reply) => {
    const form = readQuery(request.query)
    const { query, errors } = parseFilters(form)
    const invalid = Object.keys(errors).length > 0
    const page = invalid
      ? { items: [], nextCursor: null }
      : await auth.listEvents(principalOf(request), query)
    const model = {
      events: page.items,
      filters: { values: keep(form, FILTERS), errors },
      eventTypes: AUDIT_EVENT_TYPES,
      cursor: query.cursor ?? null,
      nextCursor: page.nextCursor,
    }
    return sendPage(
      reply,
      adminAuditPage(chromeOf(request, reply, deps.stylesheetHref), model),
      invalid ? 422 : 200,
    )
  })
}
