import { displayName, time } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, ViewSession, ViewUser } from '../model.js'

export interface SecureModel {
  readonly user: ViewUser
  readonly session: ViewSession
}

/** The page the spec calls /secure: proof that only a live session gets here. */
export function securePage(chrome: Chrome, model: SecureModel): SafeHTML {
  const main = html`<div class="card">
    <p class="lead">Only signed-in people can see this page, ${displayName(model.user)}.</p>
    <dl class="facts">
      <div>
        <dt>Signed in since</dt>
        <dd>${time(model.session.createdAt)}</dd>
      </div>
      <div>
        <dt>Session ends at the latest</dt>
        <dd>${time(model.session.expiresAt)}</dd>
      </div>
    </dl>
  </div>`
  return layout(chrome, { title: 'Members only', main })
}
