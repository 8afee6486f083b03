// The "Linked accounts" section of /settings/security: the identities a user can sign in with,
// each with an Unlink button, and a Link button for each configured provider not linked yet.
import type { ViewProvider } from '../components/social-sign-in.js'
import { actionButton } from '../components/form.js'
import { time } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import type { Chrome } from '../model.js'

export interface ViewIdentity {
  readonly id: string
  readonly provider: string
  readonly email: string | null
  readonly createdAt: Date
}

export interface LinkedAccountsModel {
  readonly providers: readonly ViewProvider[]
  readonly identities: readonly ViewIdentity[]
}

function labelOf(model: LinkedAccountsModel, provider: string): string {
  return model.providers.find((p) => p.name === provider)?.label ?? provider
}

function identityItem(
  chrome: Chrome,
  model: LinkedAccountsModel,
  identity: ViewIdentity,
): SafeHTML {
  const label = labelOf(model, identity.provider)
  return html`<li class="session">
    <div class="session-info">
      <p class="session-device">${label}</p>
      <dl class="facts compact">
        <div>
          <dt>Email</dt>
          <dd>${identity.email ?? 'not shared'}</dd>
        </div>
        <div>
          <dt>Linked</dt>
          <dd>${time(identity.createdAt)}</dd>
        </div>
      </dl>
    </div>
    ${actionButton({
      action: `/settings/security/identities/${encodeURIComponent(identity.id)}/unlink`,
      label: 'Unlink',
      context: `${label}${identity.email === null ? '' : ` (${identity.email})`}`,
      csrfToken: chrome.csrfToken,
      variant: 'danger',
    })}
  </li>`
}

export function linkedAccountsSection(chrome: Chrome, model: LinkedAccountsModel): SafeHTML {
  if (model.providers.length === 0 && model.identities.length === 0) return html``
  const linked = new Set(model.identities.map((identity) => identity.provider))
  const linkable = model.providers.filter((provider) => !linked.has(provider.name))
  return html`<section class="card" aria-labelledby="linked-heading">
    <h2 id="linked-heading">Linked accounts</h2>
    <p class="hint">
      Accounts at other services you can sign in with. Linking needs you signed in here first; an
      account is never linked just because its email matches.
    </p>
    ${
      model.identities.length === 0
        ? html`<p class="empty">No linked accounts.</p>`
        : html`<ul class="sessions">
            ${model.identities.map((identity) => identityItem(chrome, model, identity))}
          </ul>`
    }
    ${
      linkable.length > 0 &&
      html`<div class="actions">
        ${linkable.map((provider) =>
          actionButton({
            action: '/settings/security/identities/link',
            label: `Link ${provider.label}`,
            csrfToken: chrome.csrfToken,
            hidden: { provider: provider.name },
          }),
        )}
      </div>`
    }
  </section>`
}
