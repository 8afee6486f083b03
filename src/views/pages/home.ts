import { displayName } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

export function homePage(chrome: Chrome): SafeHTML {
  const user = chrome.user
  const main =
    user === null
      ? html`<div class="card">
          <p class="lead">
            Latchkey keeps your account safe: strong passwords, sessions you can see and end, and an
            audit trail of every sign-in.
          </p>
          <p class="actions">
            <a class="button primary" href="/login">Sign in</a>
            <a class="button secondary" href="/register">Create an account</a>
          </p>
        </div>`
      : html`<div class="card">
          <p class="lead">Welcome back, ${displayName(user)}.</p>
          <ul class="link-list">
            <li><a href="/profile">Your profile</a></li>
            <li><a href="/settings/security">Password and sessions</a></li>
            <li><a href="/secure">A page for signed-in users only</a></li>
            ${
              user.role === 'admin' &&
              html`<li><a href="/admin/users">Manage users</a></li>
                <li><a href="/admin/audit">Audit log</a></li>`
            }
          </ul>
        </div>`
  return layout(chrome, { title: 'Latchkey', main })
}
