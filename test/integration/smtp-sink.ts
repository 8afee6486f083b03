// A real SMTP server in the test process (smtp-server), parsing what it receives with mailparser,
// so the tests read mail exactly as a mail client would. No mocks: nodemailer speaks SMTP to it.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  readonly to: string
  readonly from: string
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly receivedAt: number
}

export interface SmtpSink {
  readonly url: string
  readonly received: readonly ReceivedMail[]
  /** Transactions refused so far (each a delivery attempt). */
  readonly refusals: number
  /** Refuse the next `count` transactions with `code` (451: "try again later"; 550: permanent). */
  refuseNext(count: number, code?: number): void
  /** The first mail (received now or later) that matches; fails after `timeoutMs`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>
  close(): Promise<void>
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value]
  return list.map((item) => item.text).join(', ')
}

function toReceived(parsed: ParsedMail): ReceivedMail {
  return {
    to: addresses(parsed.to),
    from: addresses(parsed.from),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html === false ? '' : parsed.html,
    receivedAt: Date.now(),
  }
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = []
  const waiters = new Set<() => void>()
  let refuse = { count: 0, code: 451 }
  let refusals = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (refuse.count === 0) return callback()
      refuse = { ...refuse, count: refuse.count - 1 }
      refusals += 1
      const error = Object.assign(new Error('Not now, try again later'), {
        responseCode: refuse.code,
      })
      callback(error)
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push(toReceived(parsed))
          for (const wake of waiters) wake()
          callback()
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      )
    },
  })
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const { port } = server.server.address() as AddressInfo // a TCP listener, asked for just above
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refusals() {
      return refusals
    },
    refuseNext(count, code = 451) {
      refuse = { count, code }
    },
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = received.find(match)
          if (found === undefined) return false
          waiters.delete(wake)
          clearTimeout(timer)
          resolve(found)
          return true
        }
        const wake = (): void => void check()
        const timer = setTimeout(() => {
          waiters.delete(wake)
          reject(new Error(`no matching mail within ${timeoutMs} ms (${received.length} received)`))
        }, timeoutMs)
        waiters.add(wake)
        check()
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** The `token` of the first link in `text` that starts with `${base}${path}?token=`. */
export function linkToken(text: string, base: string, path: string): string {
  const escaped = `${base}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}\\?token=([A-Za-z0-9_%-]+)`).exec(text)
  if (match?.[1] === undefined) throw new Error(`no ${path} link in: ${text.slice(0, 300)}`)
  return decodeURIComponent(match[1])
}
