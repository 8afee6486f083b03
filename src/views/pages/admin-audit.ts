import { errorSummary, input, select } from '../components/form.js'
import { time } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState, ViewAuditEvent } from '../model.js'

export const AUDIT_FILTER_LABELS = {
  type: 'Event type',
  user_id: 'User id',
  since: 'From (UTC)',
  until: 'Until (UTC, inclusive)',
} as const

export interface AdminAuditModel {
  readonly events: readonly ViewAuditEvent[]
  /** The filters as typed; errors when one could not be understood. */
  readonly filters: FormState
  readonly eventTypes: readonly string[]
  readonly cursor: string | null
  readonly nextCursor: string | null
}

/** `/admin/audit` with the given filters and cursor. */
export function adminAuditURL(
  filters: Readonly<Record<string, string>>,
  cursor: string | null,
): string {
  const query = new URLSearchParams()
  for (const name of Object.keys(AUDIT_FILTER_LABELS)) {
    const value = filters[name]
    if (value !== undefined && value !== '') query.set(name, value)
  }
  if (cursor !== null) query.set('cursor', cursor)
  const text = query.toString()
  return text === '' ? '/admin/audit' : `/admin/audit?${text}`
}

/** The first block of the id is enough to tell users apart on screen; the link filters by all of it. */
function userLink(userId: string | null): SafeHTML | string {
  if (userId === null) return html`<span class="muted">none</span>`
  const short = userId.length > 12 ? `${userId.slice(0, 8)}…` : userId
  return html`<a href="${adminAuditURL({ user_id: userId }, null)}" class="mono" title="${userId}"
    >${short}<span class="visually-hidden"> (show this user's events)</span></a
  >`
}

function details(event: ViewAuditEvent): SafeHTML {
  const entries = Object.entries(event.data)
  if (entries.length === 0) return html`<span class="muted">none</span>`
  return html`<ul class="kv">
    ${entries.map(([key, value]) => html`<li><span class="mono">${key}</span>: ${String(value)}</li>`)}
  </ul>`
}

function eventRow(event: ViewAuditEvent): SafeHTML {
  return html`<tr>
    <td data-label="When">${time(event.at)}</td>
    <td data-label="Event"><span class="mono">${event.type}</span></td>
    <td data-label="User">${userLink(event.userId)}</td>
    <td data-label="By">${userLink(event.actorId)}</td>
    <td data-label="IP">${event.ip ?? ''}</td>
    <td data-label="Details">${details(event)}</td>
  </tr>`
}

export function adminAuditPage(chrome: Chrome, model: AdminAuditModel): SafeHTML {
  const { filters } = model
  const typeOptions = [
    { value: '', label: 'All events' },
    ...model.eventTypes.map((t) => ({ value: t, label: t })),
  ]
  const main = html`${errorSummary(filters, AUDIT_FILTER_LABELS)}
    <form method="get" action="/admin/audit" class="filter-form" novalidate>
      ${select({ name: 'type', label: AUDIT_FILTER_LABELS.type, options: typeOptions }, filters.values['type'] ?? '', filters.errors['type'])}
      ${input({ name: 'user_id', label: AUDIT_FILTER_LABELS.user_id, markOptional: false }, filters)}
      ${input({ name: 'since', label: AUDIT_FILTER_LABELS.since, type: 'date', markOptional: false }, filters)}
      ${input({ name: 'until', label: AUDIT_FILTER_LABELS.until, type: 'date', markOptional: false }, filters)}
      <p class="actions">
        <button type="submit" class="button primary">Filter</button>
        <a class="button secondary" href="/admin/audit">Clear</a>
      </p>
    </form>
    ${
      model.events.length === 0
        ? html`<p class="empty">No events match.</p>`
        : html`<table class="data-table">
            <caption class="visually-hidden">
              Audit events, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">User</th>
                <th scope="col">By</th>
                <th scope="col">IP</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              ${model.events.map(eventRow)}
            </tbody>
          </table>`
    }
    <nav class="pager" aria-label="Pages of events">
      ${model.cursor !== null && html`<a href="${adminAuditURL(filters.values, null)}">Newest</a>`}
      ${model.nextCursor !== null && html`<a href="${adminAuditURL(filters.values, model.nextCursor)}" rel="next">Older events</a>`}
    </nav>`
  return layout(chrome, { title: 'Audit log', main })
}
