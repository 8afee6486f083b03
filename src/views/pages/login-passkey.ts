import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

export interface LoginPasskeyModel {
  /** Where to go after signing in; already checked to be a local path. */
  readonly next: string
  /** The passkey script; this page's CSP allows it (and only it). */
  readonly scriptHref: string
}

function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?${new URLSearchParams({ next }).toString()}`
}

/**
 * Its own page, so /login itself stays without any script. The button appears only when the
 * script finds WebAuthn in the browser; without JavaScript the page says what else to do.
 */
export function loginPasskeyPage(chrome: Chrome, model: LoginPasskeyModel): SafeHTML {
  const main = html`<div class="card narrow">
    <p>Use the passkey saved on this device, your phone or a security key. No password needed.</p>
    <div data-passkey-section hidden>
      <button
        type="button"
        class="button primary"
        data-passkey-login
        data-next="${model.next}"
        data-status="passkey-login-status"
        hidden
      >
        Sign in with a passkey
      </button>
    </div>
    <p id="passkey-login-status" role="status"></p>
    <noscript>
      <p class="hint">Passkeys need JavaScript. You can sign in with your password instead.</p>
    </noscript>
    <p class="aside">
      <a href="${withNext('/login', model.next)}">Sign in with your password</a>
    </p>
    <script src="${model.scriptHref}" defer></script>
  </div>`
  return layout(chrome, { title: 'Sign in with a passkey', main })
}
