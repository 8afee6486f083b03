import { html, type SafeHTML } from '../html.js'

export interface ViewProvider {
  readonly name: string
  readonly label: string
}

function startHref(provider: ViewProvider, next: string): string {
  const query = next === '/' ? '' : `?${new URLSearchParams({ next }).toString()}`
  return `/auth/oauth/${encodeURIComponent(provider.name)}/start${query}`
}

/**
 * "Sign in with …" links. Plain links (GET, no script): starting a sign-in changes nothing on
 * the server a forger could use, and the provider's answer is bound to this browser's cookie.
 */
export function socialSignIn(providers: readonly ViewProvider[], next: string): SafeHTML {
  if (providers.length === 0) return html``
  return html`<section class="social-sign-in" aria-labelledby="social-heading">
    <h2 id="social-heading" class="visually-hidden">Sign in with another account</h2>
    <p class="hint">Or use an account you already have:</p>
    <div class="actions">
      ${providers.map((p) => html`<a class="button secondary" href="${startHref(p, next)}">Sign in with ${p.label}</a>`)}
    </div>
  </section>`
}
