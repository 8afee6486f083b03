// The two-factor and passkey sections of /settings/security. Turning 2FA off and replacing the
// recovery codes each ask for a current code; adding a passkey needs the browser's WebAuthn API,
// so that button appears only when the passkey script runs (progressive enhancement).
import { actionButton, csrfField, input } from '../components/form.js'
import { time } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import type { Chrome } from '../model.js'

export interface TwoFactorModel {
  readonly enabled: boolean
  /** Set up but not yet confirmed with a code. */
  readonly pending: boolean
  readonly recoveryCodesLeft: number
}

export interface ViewPasskey {
  readonly id: string
  readonly name: string | null
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
}

export const MFA_CODE_HINT =
  'The 6-digit code from your authenticator app, or one of your recovery codes.'

const NO_FORM = { values: {}, errors: {} }

function codeForm(
  chrome: Chrome,
  spec: { action: string; name: string; label: string; button: string; danger: boolean },
): SafeHTML {
  return html`<form method="post" action="${spec.action}" novalidate>
    ${csrfField(chrome.csrfToken)}
    ${input(
      {
        name: spec.name,
        label: spec.label,
        autocomplete: 'one-time-code',
        required: true,
        hint: MFA_CODE_HINT,
        maxLength: 32,
      },
      NO_FORM,
    )}
    <button type="submit" class="button ${spec.danger ? 'danger' : 'secondary'}">
      ${spec.button}
    </button>
  </form>`
}

function enabledBody(chrome: Chrome, model: TwoFactorModel): SafeHTML {
  const left = model.recoveryCodesLeft
  return html`<p>
      <span class="badge ok">On</span> Signing in asks for a code from your authenticator app.
    </p>
    <p class="hint">
      ${left === 1 ? '1 recovery code is' : `${left} recovery codes are`} left.
      ${left < 4 && 'Make a new set before you run out.'}
    </p>
    <h3>New recovery codes</h3>
    <p class="hint">Your old recovery codes stop working as soon as the new ones are made.</p>
    ${codeForm(chrome, {
      action: '/settings/security/2fa/recovery-codes',
      name: 'regenerate_code',
      label: 'Code to make new recovery codes',
      button: 'Make new recovery codes',
      danger: false,
    })}
    <h3>Turn off</h3>
    <p class="hint">
      To move to a new phone, turn two-factor authentication off here, then set it up again.
    </p>
    ${codeForm(chrome, {
      action: '/settings/security/2fa/disable',
      name: 'disable_code',
      label: 'Code to turn off two-factor authentication',
      button: 'Turn off two-factor authentication',
      danger: true,
    })}`
}

function disabledBody(chrome: Chrome, model: TwoFactorModel): SafeHTML {
  return html`<p>
      <span class="badge danger">Off</span> Add a second step to signing in: a code from an
      authenticator app on your phone.
    </p>
    ${
      model.pending &&
      html`<p><a href="/settings/security/2fa">Continue the set-up you started</a></p>`
    }
    ${actionButton({
      action: '/settings/security/2fa/setup',
      label: model.pending ? 'Start the set-up again' : 'Set up two-factor authentication',
      csrfToken: chrome.csrfToken,
      variant: 'primary',
    })}`
}

export function twoFactorSection(chrome: Chrome, model: TwoFactorModel): SafeHTML {
  return html`<section class="card" aria-labelledby="mfa-heading">
    <h2 id="mfa-heading">Two-factor authentication</h2>
    ${model.enabled ? enabledBody(chrome, model) : disabledBody(chrome, model)}
  </section>`
}

function passkeyItem(chrome: Chrome, passkey: ViewPasskey): SafeHTML {
  const name = passkey.name ?? 'Passkey'
  return html`<li class="session">
    <div class="session-info">
      <p class="session-device">${name}</p>
      <dl class="facts compact">
        <div>
          <dt>Added</dt>
          <dd>${time(passkey.createdAt)}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>${passkey.lastUsedAt === null ? 'never' : time(passkey.lastUsedAt)}</dd>
        </div>
      </dl>
    </div>
    ${actionButton({
      action: `/settings/security/passkeys/${encodeURIComponent(passkey.id)}/delete`,
      label: 'Delete',
      context: `(the passkey ${name})`,
      csrfToken: chrome.csrfToken,
      variant: 'danger',
    })}
  </li>`
}

export function passkeysSection(
  chrome: Chrome,
  passkeys: readonly ViewPasskey[],
  scriptHref: string,
): SafeHTML {
  return html`<section class="card" aria-labelledby="passkeys-heading">
    <h2 id="passkeys-heading">Passkeys</h2>
    <p class="hint">
      A passkey signs you in with your fingerprint, face or device PIN instead of a password and
      code.
    </p>
    ${
      passkeys.length === 0
        ? html`<p class="empty">You have no passkeys yet.</p>`
        : html`<ul class="sessions">
            ${passkeys.map((passkey) => passkeyItem(chrome, passkey))}
          </ul>`
    }
    <div class="passkey-add">
      <div class="field" hidden>
        <label for="passkey-name"
          >Name for the new passkey <span class="optional">(optional)</span></label
        >
        <input id="passkey-name" type="text" maxlength="64" autocomplete="off" />
      </div>
      <button
        type="button"
        class="button primary"
        data-passkey-register
        data-status="passkey-status"
        data-name-input="passkey-name"
        hidden
      >
        Add a passkey
      </button>
    </div>
    <p id="passkey-status" role="status"></p>
    <noscript><p class="hint">Adding a passkey needs JavaScript.</p></noscript>
    <script src="${scriptHref}" defer></script>
  </section>`
}
