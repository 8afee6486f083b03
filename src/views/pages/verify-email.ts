import { actionButton } from '../components/form.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

export interface VerifyEmailModel {
  /** A link token is waiting (in its cookie) to be confirmed. */
  readonly hasToken: boolean
  /** Signed in with an unverified address: a new link can be sent. */
  readonly canResend: boolean
}

/** GET never changes state: opening the link shows this button, and only the POST verifies. */
export function verifyEmailPage(chrome: Chrome, model: VerifyEmailModel): SafeHTML {
  const main = model.hasToken
    ? html`<div class="card narrow">
        <p class="lead">Confirm that this email address is yours.</p>
        ${actionButton({ action: '/verify-email', label: 'Confirm email address', csrfToken: chrome.csrfToken, variant: 'primary' })}
      </div>`
    : html`<div class="card narrow">
        <p class="lead">
          Open the link in the mail we sent you to confirm your address. Links work once, for a
          limited time.
        </p>
        ${
          model.canResend &&
          actionButton({
            action: '/verify-email/resend',
            label: 'Send a new link',
            csrfToken: chrome.csrfToken,
            variant: 'primary',
          })
        }
      </div>`
  return layout(chrome, { title: 'Confirm your email address', main })
}
