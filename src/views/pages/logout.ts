import { csrfField } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

/** Shown for GET /logout: signing out is a POST, so a link or an image cannot do it. */
export function logoutPage(chrome: Chrome): SafeHTML {
  const main = html`<div class="card narrow">
    <p class="lead">Sign out of Latchkey on this device?</p>
    <form method="post" action="/logout" class="actions">
      ${csrfField(chrome.csrfToken)}
      <button type="submit" class="button primary">Sign out</button>
      <a class="button secondary" href="/">Stay signed in</a>
    </form>
  </div>`
  return layout(chrome, { title: 'Sign out', main })
}
