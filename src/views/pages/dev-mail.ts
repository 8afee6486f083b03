import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

export interface DevMailMessage {
  readonly id: string
  readonly at: Date
  readonly to: string
  readonly subject: string
  readonly text: string
}

export interface DevMailModel {
  readonly messages: readonly DevMailMessage[]
  /** Only links to this server are made clickable; everything else stays text. */
  readonly publicUrl: string
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The plain-text part, escaped, with links to this server turned into links. */
function body(text: string, publicUrl: string): SafeHTML {
  const link = new RegExp(`(${escapeRegExp(publicUrl)}/[^\\s<>"']*)`)
  const parts = text.split(link)
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<a href="${part}">${part}</a>` : part))}`
}

function message(mail: DevMailMessage, publicUrl: string): SafeHTML {
  const iso = mail.at.toISOString()
  return html`<article class="card">
    <h2>${mail.subject}</h2>
    <dl class="facts compact">
      <dt>To</dt>
      <dd>${mail.to}</dd>
      <dt>Sent</dt>
      <dd><time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')} UTC</time></dd>
    </dl>
    <pre class="mail-body">${body(mail.text, publicUrl)}</pre>
  </article>`
}

/** Development only: the mail that had no SMTP server to go to, newest first. */
export function devMailPage(chrome: Chrome, model: DevMailModel): SafeHTML {
  const main = html`<p class="lead">
      No SMTP_URL is set, so mail is kept here, in this process's memory, instead of being sent.
      Newest first; the last 50 messages.
    </p>
    ${
      model.messages.length === 0
        ? html`<p class="empty">No mail yet.</p>`
        : model.messages.map((mail) => message(mail, model.publicUrl))
    }`
  return layout(chrome, { title: 'Dev outbox', main })
}
