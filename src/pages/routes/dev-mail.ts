import type { FastifyInstance } from 'fastify'
import type { MailMessage } from '../../core/ports.js'
import { devMailPage } from '../../views/pages/dev-mail.js'
import type { PageDeps } from '../page-deps.js'
import { chromeOf, sendPage } from '../render.js'

/** What /dev/mail reads: the dev outbox (src/mail/dev-outbox.ts), newest first. */
export interface DevOutboxReader {
  list(): readonly { readonly id: string; readonly at: Date; readonly message: MailMessage }[]
}

/**
 * Registered only when there is a dev outbox, i.e. no SMTP_URL, which `latchkey serve` refuses in
 * production: the links shown here are credentials.
 */
export function devMailPageRoutes(
  app: FastifyInstance,
  deps: PageDeps,
  outbox: DevOutboxReader,
): void {
  app.get('/dev/mail', { preHandler: deps.maybeSignedIn }, async (request, reply) => {
    const messages = outbox.list().map(({ id, at, message }) => ({
      id,
      at,
      to: message.to,
      subject: message.subject,
      text: message.text,
    }))
    const chrome = chromeOf(request, reply, deps.stylesheetHref)
    return sendPage(reply, devMailPage(chrome, { messages, publicUrl: deps.http.publicUrl }))
  })
}
