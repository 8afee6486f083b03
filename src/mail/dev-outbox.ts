import { randomUUID } from 'node:crypto'
import type { Mailer, MailMessage } from '../core/ports.js'
import { assertHeaderSafe } from './header-safety.js'

export interface OutboxEntry {
  readonly id: string
  readonly at: Date
  readonly message: MailMessage
}

const DEFAULT_CAPACITY = 50

/**
 * Development without SMTP_URL: the last messages are kept in memory and shown at /dev/mail.
 * `latchkey serve` refuses it when NODE_ENV=production, since the links in these messages are
 * credentials and nobody would ever receive them.
 */
export class DevOutbox implements Mailer {
  readonly #entries: OutboxEntry[] = []
  readonly #capacity: number

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity
  }

  async send(message: MailMessage): Promise<void> {
    assertHeaderSafe(message) // the same gate as SMTP, so development shows what production does
    this.#entries.unshift({ id: randomUUID(), at: new Date(), message })
    this.#entries.length = Math.min(this.#entries.length, this.#capacity)
  }

  /** Newest first. */
  list(): readonly OutboxEntry[] {
    return [...this.#entries]
  }
}
