import type { MailMessage } from '../core/ports.js'
import { MailDeliveryError } from './mail-error.js'

// SEC-INPUT-02: a CR or LF in a header value would end the header and start one of the sender's
// choosing (Bcc:, a second body). Addresses are checked on sign-up and MAIL_FROM at start; this
// is the last gate before any transport, so a value that slipped past both is refused, not sent.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

/** Throws a permanent MailDeliveryError when a header value holds a control character. */
export function assertHeaderSafe(message: MailMessage): void {
  for (const [header, value] of [
    ['to', message.to],
    ['subject', message.subject],
  ] as const) {
    if (CONTROL.test(value)) throw new MailDeliveryError(`control_character_in_${header}`, true)
  }
}
