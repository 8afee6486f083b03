// The mail side of the composition root: which transport (SMTP or the dev outbox), the delivery
// queue in front of it, and the templates that turn core's requests into messages.
import type { Config } from '../config/config.js'
import { ConfigError } from '../config/config-error.js'
import type { AccountMail, Logger, Mailer, MailQueue } from '../core/ports.js'
import { DeliveryQueue, type DeliveryQueueOptions } from './delivery-queue.js'
import { DevOutbox } from './dev-outbox.js'
import { SmtpMailer } from './smtp-mailer.js'
import type { MailBrand } from './templates/layout.js'
import { renderAccountMail } from './templates/render.js'

export const PRODUCT_NAME = 'Latchkey'

export interface MailRuntime {
  /** What core is given. */
  readonly queue: MailQueue
  /** The delivery queue behind it, for a graceful stop and for tests that wait for it. */
  readonly delivery: DeliveryQueue
  /** Set when there is no SMTP_URL: shown at /dev/mail. */
  readonly devOutbox: DevOutbox | null
  close(): Promise<void>
}

export interface MailOptions extends DeliveryQueueOptions {
  /** Another transport (a provider's API, a test double) instead of the one SMTP_URL picks. */
  readonly mailer?: Mailer
}

/**
 * @throws ConfigError when NODE_ENV=production and SMTP_URL is unset: the links would only ever
 * sit in this process's memory, and nobody could verify an address or reset a password.
 */
export function openMail(config: Config, logger: Logger, options: MailOptions = {}): MailRuntime {
  const { smtpUrl, from } = config.mail
  if (smtpUrl === null && options.mailer === undefined && config.http.production) {
    throw new ConfigError(
      'SMTP_URL',
      'required when NODE_ENV=production (without it mail is only kept in memory in the dev outbox)',
    )
  }
  const smtp = smtpUrl === null ? null : new SmtpMailer(smtpUrl, from)
  const devOutbox = smtp === null && options.mailer === undefined ? new DevOutbox() : null
  if (devOutbox !== null) {
    const url = `${config.http.publicUrl}/dev/mail`
    logger.info({ url }, `SMTP_URL is not set: mail is kept in the dev outbox; read it at ${url}`)
  }
  const mailer = options.mailer ?? smtp ?? devOutbox
  if (mailer === null) throw new Error('unreachable: a mailer is always chosen') // narrows the type
  const { queue, delivery } = createMailQueue(mailer, config.http.publicUrl, logger, options)
  return {
    queue,
    delivery,
    devOutbox,
    async close() {
      await delivery.close()
      smtp?.close()
    },
  }
}

/**
 * Core's MailQueue over any transport: the templates (links on `publicUrl`) and the delivery
 * queue with its retries. Close `delivery` on shutdown.
 */
export function createMailQueue(
  mailer: Mailer,
  publicUrl: string,
  logger: Logger,
  options: DeliveryQueueOptions = {},
): { readonly queue: MailQueue; readonly delivery: DeliveryQueue } {
  const delivery = new DeliveryQueue(mailer, logger, options)
  const brand: MailBrand = { productName: PRODUCT_NAME, publicUrl }
  const queue: MailQueue = {
    enqueue(mail: AccountMail): void {
      delivery.enqueue(renderAccountMail(brand, mail), mail.kind)
    },
  }
  return { queue, delivery }
}
