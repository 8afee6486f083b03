// One structure, two parts: each template says what the mail says once, and this file writes it
// as plain text and as HTML, so the two parts cannot drift apart. Every value is escaped by the
// `html` tag (SEC-INPUT-05 applies to mail clients too); links come from the configured
// PUBLIC_URL only (SEC-RESET-05). No images, fonts or other remote resources: nothing in the
// mail calls out to a third party, and the HTML styles itself inline, as mail clients require.
import { html, type SafeHTML } from '../../views/html.js'

export interface MailBrand {
  readonly productName: string
  /** Origin plus optional path prefix, no trailing slash (config PUBLIC_URL). */
  readonly publicUrl: string
}

export interface RenderedMail {
  readonly subject: string
  readonly text: string
  readonly html: string
}

export interface MailBody {
  readonly heading: string
  readonly before: readonly string[]
  readonly action?: { readonly label: string; readonly url: string }
  readonly after: readonly string[]
}

/** `${PUBLIC_URL}${path}`, with the token as a query parameter when there is one. */
export function linkTo(brand: MailBrand, path: string, token?: string): string {
  const query = token === undefined ? '' : `?${new URLSearchParams({ token }).toString()}`
  return `${brand.publicUrl}${path}${query}`
}

/** 1800 → "30 minutes", 86400 → "24 hours". */
export function formatValidity(seconds: number): string {
  const [value, unit] =
    seconds % 3600 === 0
      ? [seconds / 3600, 'hour']
      : [Math.max(1, Math.round(seconds / 60)), 'minute']
  return `${value} ${unit}${value === 1 ? '' : 's'}`
}

/** A date as mail clients everywhere read it the same way: "2026-03-01 12:00 UTC". */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function textPart(brand: MailBrand, body: MailBody): string {
  const action = body.action === undefined ? [] : [`${body.action.label}:\n${body.action.url}`]
  const blocks = [body.heading, ...body.before, ...action, ...body.after]
  return `${blocks.join('\n\n')}\n\n-- \n${brand.productName}\n${brand.publicUrl}\n`
}

const P = 'margin:0 0 16px;font-size:16px;line-height:1.5;color:#1f2328'

function paragraphs(lines: readonly string[]): SafeHTML {
  return html`${lines.map((line) => html`<p style="${P}">${line}</p>`)}`
}

function htmlPart(brand: MailBrand, subject: string, body: MailBody): string {
  const button =
    body.action !== undefined &&
    html`<p style="margin:24px 0">
        <a
          href="${body.action.url}"
          style="display:inline-block;padding:12px 20px;border-radius:6px;background:#1f6feb;color:#ffffff;font-weight:600;text-decoration:none"
          >${body.action.label}</a
        >
      </p>
      <p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#59636e">
        If the button does not work, copy this address into your browser:<br /><span
          style="word-break:break-all"
          >${body.action.url}</span
        >
      </p>`
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${subject}</title>
      </head>
      <body
        style="margin:0;padding:24px;background:#f6f8fa;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
      >
        <div
          style="max-width:560px;margin:0 auto;padding:32px;background:#ffffff;border:1px solid #d1d9e0;border-radius:8px"
        >
          <p style="margin:0 0 24px;font-size:14px;font-weight:700;color:#59636e">
            ${brand.productName}
          </p>
          <h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#1f2328">
            ${body.heading}
          </h1>
          ${paragraphs(body.before)} ${button} ${paragraphs(body.after)}
        </div>
        <p
          style="max-width:560px;margin:16px auto 0;font-size:12px;color:#59636e;text-align:center"
        >
          ${brand.productName} · ${brand.publicUrl}
        </p>
      </body>
    </html> `.toString()
}

export function renderMail(brand: MailBrand, subject: string, body: MailBody): RenderedMail {
  return { subject, text: textPart(brand, body), html: htmlPart(brand, subject, body) }
}
