// SMTP_URL and MAIL_FROM. The SMTP URL may carry credentials, so an error shows only its scheme.
import { ConfigError } from './config-error.js'
import { showValue } from './parse.js'

export interface MailAddress {
  /** The display name, or null for a bare address. */
  readonly name: string | null
  readonly address: string
}

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). */
export function parseSMTPURL(name: string, raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(name, 'expected a URL such as smtps://user:password@mail.example.com:465')
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError(name, `expected an smtp:// or smtps:// URL, got a ${url.protocol} URL`)
  }
  if (url.hostname === '') throw new ConfigError(name, 'expected a host name in the URL')
  return raw
}

// A header value with CR or LF would let the value add headers of its own (SEC-INPUT-02).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/u
const NAMED = /^(.*?)\s*<([^<>]+)>$/

/** `Latchkey <no-reply@example.com>` or `no-reply@example.com`. */
export function parseMailFrom(name: string, raw: string): MailAddress {
  if (CONTROL.test(raw)) {
    throw new ConfigError(name, 'must not contain control characters such as CR or LF')
  }
  const named = NAMED.exec(raw)
  const display = named?.[1]?.trim().replace(/^"(.*)"$/, '$1') ?? ''
  const address = (named?.[2] ?? raw).trim()
  if (!ADDRESS.test(address) || /[<>"]/.test(display)) {
    throw new ConfigError(
      name,
      `expected an address such as "Latchkey <no-reply@example.com>", got ${showValue(raw)}`,
    )
  }
  return { name: display === '' ? null : display, address }
}
