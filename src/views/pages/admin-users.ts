import { actionButton, csrfField } from '../components/form.js'
import { displayName, time } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, ViewUser } from '../model.js'

export interface AdminUsersModel {
  readonly users: readonly ViewUser[]
  readonly q: string
  /** The cursor of the page shown (null on the first page). */
  readonly cursor: string | null
  readonly nextCursor: string | null
  /** The signed-in admin: no buttons to lock themselves out on their own row. */
  readonly selfId: string
}

/** `/admin/users` with the given search and cursor; where each action returns to. */
export function adminUsersURL(q: string, cursor: string | null): string {
  const query = new URLSearchParams()
  if (q !== '') query.set('q', q)
  if (cursor !== null) query.set('cursor', cursor)
  const text = query.toString()
  return text === '' ? '/admin/users' : `/admin/users?${text}`
}

function statusBadge(user: ViewUser): SafeHTML {
  return user.disabled
    ? html`<span class="badge danger">disabled</span>`
    : html`<span class="badge ok">active</span>`
}

function roleForm(chrome: Chrome, user: ViewUser, back: string): SafeHTML {
  const id = `role-${user.id}`
  return html`<form
    method="post"
    action="/admin/users/${encodeURIComponent(user.id)}/role"
    class="inline-form role-form"
  >
    ${csrfField(chrome.csrfToken)}
    <input type="hidden" name="return_to" value="${back}" />
    <label for="${id}" class="visually-hidden">Role for ${user.email}</label>
    <select id="${id}" name="role">
      <option value="user" ${user.role === 'user' ? html` selected` : ''}>user</option>
      <option value="admin" ${user.role === 'admin' ? html` selected` : ''}>admin</option>
    </select>
    <button type="submit" class="button secondary">
      Change role<span class="visually-hidden"> of ${user.email}</span>
    </button>
  </form>`
}

function actions(chrome: Chrome, user: ViewUser, back: string): SafeHTML {
  const base = `/admin/users/${encodeURIComponent(user.id)}`
  const hidden = { return_to: back }
  return html`<div class="row-actions">
    ${roleForm(chrome, user, back)}
    ${
      user.disabled
        ? actionButton({
            action: `${base}/enable`,
            label: 'Enable',
            context: user.email,
            csrfToken: chrome.csrfToken,
            hidden,
          })
        : actionButton({
            action: `${base}/disable`,
            label: 'Disable',
            context: user.email,
            csrfToken: chrome.csrfToken,
            variant: 'danger',
            hidden,
          })
    }
    ${actionButton({ action: `${base}/revoke-sessions`, label: 'End sessions', context: `of ${user.email}`, csrfToken: chrome.csrfToken, hidden })}
  </div>`
}

function userRow(chrome: Chrome, user: ViewUser, model: AdminUsersModel): SafeHTML {
  const back = adminUsersURL(model.q, model.cursor)
  return html`<tr>
    <td data-label="User">
      <strong>${displayName(user)}</strong><br /><span class="muted">${user.email}</span
      >${user.username !== null && html`<br /><span class="muted">@${user.username}</span>`}
    </td>
    <td data-label="Role">${user.role}</td>
    <td data-label="Status">${statusBadge(user)}</td>
    <td data-label="Created">${time(user.createdAt)}</td>
    <td data-label="Actions">
      ${user.id === model.selfId ? html`<span class="muted">This is you</span>` : actions(chrome, user, back)}
    </td>
  </tr>`
}

export function adminUsersPage(chrome: Chrome, model: AdminUsersModel): SafeHTML {
  const main = html`<form method="get" action="/admin/users" class="search-form" role="search">
      <label for="q">Search by email, username or name</label>
      <div class="search-row">
        <input id="q" name="q" type="search" value="${model.q}" />
        <button type="submit" class="button primary">Search</button>
      </div>
    </form>
    ${
      model.users.length === 0
        ? html`<p class="empty">No users match.</p>`
        : html`<table class="data-table">
            <caption class="visually-hidden">
              Users${model.q !== '' && html` matching “${model.q}”`}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              ${model.users.map((user) => userRow(chrome, user, model))}
            </tbody>
          </table>`
    }
    <nav class="pager" aria-label="Pages of users">
      ${model.cursor !== null && html`<a href="${adminUsersURL(model.q, null)}">First page</a>`}
      ${model.nextCursor !== null && html`<a href="${adminUsersURL(model.q, model.nextCursor)}" rel="next">Next page</a>`}
    </nav>`
  return layout(chrome, { title: 'Users', main })
}
