import { csrfField, errorSummary, input } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, FormState } from '../model.js'

export const SETUP_LABELS = { code: 'Code from the app' } as const

export interface TotpSetupModel {
  /** Base32, for typing in by hand. */
  readonly secret: string
  /** The otpauth URL as an SVG QR code in a `data:` URI (the CSP allows img-src data:). */
  readonly qrDataURI: string
  readonly form: FormState
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to read off and type in. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

export function totpSetupPage(chrome: Chrome, model: TotpSetupModel): SafeHTML {
  const main = html`<div class="card narrow">
    ${errorSummary(model.form, SETUP_LABELS)}
    <ol>
      <li>
        <p>
          Scan this QR code with an authenticator app (for example Aegis, Google Authenticator,
          1Password or Authy).
        </p>
        <p>
          <img
            src="${model.qrDataURI}"
            alt="QR code that adds this account to an authenticator app"
            width="240"
            height="240"
          />
        </p>
        <p class="hint">
          Cannot scan it? Enter this key instead:
          <code class="mono">${grouped(model.secret)}</code>
        </p>
      </li>
      <li>
        <p>Enter the 6-digit code the app shows.</p>
        <form method="post" action="/settings/security/2fa/enable" novalidate>
          ${csrfField(chrome.csrfToken)}
          ${input(
            {
              name: 'code',
              label: SETUP_LABELS.code,
              autocomplete: 'one-time-code',
              inputMode: 'numeric',
              maxLength: 16,
              required: true,
            },
            model.form,
          )}
          <button type="submit" class="button primary">Turn on two-factor authentication</button>
        </form>
      </li>
    </ol>
    <p class="aside"><a href="/settings/security">Cancel</a></p>
  </div>`
  return layout(chrome, { title: 'Set up two-factor authentication', main })
}

export interface RecoveryCodesModel {
  readonly codes: readonly string[]
  /** True right after turning 2FA on; false after replacing the codes. */
  readonly justEnabled: boolean
}

/** Shown once, as the answer to the form post: the codes are never retrievable again. */
export function recoveryCodesPage(chrome: Chrome, model: RecoveryCodesModel): SafeHTML {
  const main = html`<div class="card narrow">
    ${
      model.justEnabled &&
      html`<p><span class="badge ok">On</span> Two-factor authentication is now on.</p>`
    }
    <p>
      Keep these recovery codes somewhere safe, such as a password manager. Each one signs you in
      once if you lose your phone. This is the only time they are shown.
    </p>
    <ul class="link-list mono" aria-label="Recovery codes">
      ${model.codes.map((code) => html`<li>${code}</li>`)}
    </ul>
    <p><a class="button primary" href="/settings/security">I have saved my recovery codes</a></p>
  </div>`
  return layout(chrome, { title: 'Your recovery codes', main })
}
