import { actionButton, csrfField, errorSummary, input } from '../components/form.js'
import { describeUserAgent, time } from '../format.js'
import { attr, html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import { linkedAccountsSection, type LinkedAccountsModel } from './linked-accounts.js'
import type { Chrome, FormState, ViewSession } from '../model.js'
import {
  passkeysSection,
  twoFactorSection,
  type TwoFactorModel,
  type ViewPasskey,
} from './security-mfa.js'

export const PASSWORD_LABELS = {
  current_password: 'Current password',
  new_password: 'New password',
} as const

export interface SessionRow {
  readonly session: ViewSession
  readonly current: boolean
}

export interface SecuritySettingsModel {
  readonly passwordForm: FormState
  readonly passwordMinLength: number
  readonly sessions: readonly SessionRow[]
  readonly twoFactor?: TwoFactorModel | undefined
  /** The passkeys, and the script that adds new ones (its page CSP allows it). */
  readonly passkeys?: { readonly items: readonly ViewPasskey[]; readonly scriptHref: string }
  /** Social-login identities and the providers that can be linked. */
  readonly linkedAccounts?: LinkedAccountsModel | undefined
}

function passwordSection(chrome: Chrome, model: SecuritySettingsModel): SafeHTML {
  const form = model.passwordForm
  return html`<section class="card" aria-labelledby="password-heading">
    <h2 id="password-heading">Change password</h2>
    <p class="hint">Changing your password signs out every other device.</p>
    ${errorSummary(form, PASSWORD_LABELS)}
    <form method="post" action="/settings/security/password" novalidate>
      ${csrfField(chrome.csrfToken)}
      <!-- Tells password managers which account the new password belongs to. -->
      <input
        type="text"
        name="username"
        autocomplete="username"
        value="${chrome.user?.email ?? ''}"
        hidden
      />
      ${input({ name: 'current_password', label: PASSWORD_LABELS.current_password, type: 'password', autocomplete: 'current-password', required: true }, form)}
      ${input({ name: 'new_password', label: PASSWORD_LABELS.new_password, type: 'password', autocomplete: 'new-password', required: true, hint: `At least ${model.passwordMinLength} characters.` }, form)}
      <button type="submit" class="button primary">Change password</button>
    </form>
  </section>`
}

function sessionItem(chrome: Chrome, row: SessionRow): SafeHTML {
  const { session } = row
  const device = describeUserAgent(session.userAgent)
  return html`<li class="session${row.current ? ' current' : ''}">
    <div class="session-info">
      <p class="session-device" ${attr('title', session.userAgent ?? undefined)}>
        ${device}${row.current && html` <span class="badge ok">this device</span>`}
      </p>
      <dl class="facts compact">
        <div>
          <dt>IP address</dt>
          <dd>${session.ip ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Signed in</dt>
          <dd>${time(session.createdAt)}</dd>
        </div>
        <div>
          <dt>Last active</dt>
          <dd>${time(session.lastSeenAt)}</dd>
        </div>
      </dl>
    </div>
    ${actionButton({
      action: `/settings/security/sessions/${encodeURIComponent(session.id)}/revoke`,
      label: 'Sign out this device',
      context: `(${device}${row.current ? ', the one you are using' : ''}, signed in ${session.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      csrfToken: chrome.csrfToken,
      variant: 'danger',
    })}
  </li>`
}

function sessionsSection(chrome: Chrome, model: SecuritySettingsModel): SafeHTML {
  return html`<section class="card" aria-labelledby="sessions-heading">
    <h2 id="sessions-heading">Where you are signed in</h2>
    <ul class="sessions">
      ${model.sessions.map((row) => sessionItem(chrome, row))}
    </ul>
    ${
      model.sessions.length > 1 &&
      actionButton({
        action: '/settings/security/sessions/revoke-all',
        label: 'Sign out everywhere',
        csrfToken: chrome.csrfToken,
        variant: 'secondary',
      })
    }
  </section>`
}

// Sections in page order; the two-factor and passkey sections (issue 4) slot in between.
export function securitySettingsPage(chrome: Chrome, model: SecuritySettingsModel): SafeHTML {
  const main = html`${passwordSection(chrome, model)}
  ${model.twoFactor !== undefined && twoFactorSection(chrome, model.twoFactor)}
  ${
    model.passkeys !== undefined &&
    passkeysSection(chrome, model.passkeys.items, model.passkeys.scriptHref)
  }
  ${model.linkedAccounts !== undefined && linkedAccountsSection(chrome, model.linkedAccounts)}
  ${sessionsSection(chrome, model)}`
  return layout(chrome, { title: 'Security', main })
}
