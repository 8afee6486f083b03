import { createTransport, type Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import type { MailAddress } from '../config/parse-mail.js'
import type { Mailer, MailMessage } from '../core/ports.js'
import { assertHeaderSafe } from './header-safety.js'
import { MailDeliveryError } from './mail-error.js'

// Nodemailer waits up to 10 minutes on a silent socket by default; the queue would rather retry.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined
}

/** RFC 5321 §4.2.1: 4yz is transient (try again), 5yz permanent; connection errors are transient. */
function toDeliveryError(error: unknown): MailDeliveryError {
  const responseCode = field(error, 'responseCode')
  if (typeof responseCode === 'number') {
    return new MailDeliveryError(`smtp_${responseCode}`, responseCode >= 500, { cause: error })
  }
  const code = field(error, 'code')
  const reason = typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code : 'transport_error'
  return new MailDeliveryError(reason, false, { cause: error })
}

/** Sends through an SMTP server (SMTP_URL) with nodemailer: one connection per message. */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>
  readonly #from: MailAddress

  constructor(smtpUrl: string, from: MailAddress) {
    this.#transport = createTransport(smtpUrl, {
      ...TIMEOUTS,
      // Our mails never attach files or fetch URLs; nothing may make nodemailer read either.
      disableFileAccess: true,
      disableUrlAccess: true,
    })
    this.#from = from
  }

  async send(message: MailMessage): Promise<void> {
    assertHeaderSafe(message)
    const from =
      this.#from.name === null
        ? this.#from.address
        : { name: this.#from.name, address: this.#from.address }
    try {
      await this.#transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      })
    } catch (error) {
      throw toDeliveryError(error)
    }
  }

  close(): void {
    this.#transport.close()
  }
}
