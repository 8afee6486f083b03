/**
 * A delivery failure in words the queue can act on and the log can hold: `reason` is an SMTP
 * reply code or a transport error code, never the server's text (which may quote the message).
 */
export class MailDeliveryError extends Error {
  /** Retrying cannot help: a 5xx refusal, a header with CR/LF. */
  readonly permanent: boolean
  readonly reason: string

  constructor(reason: string, permanent: boolean, options: { readonly cause?: unknown } = {}) {
    super(`mail delivery failed: ${reason}`, options)
    this.name = 'MailDeliveryError'
    this.reason = reason
    this.permanent = permanent
  }
}

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined
}

/** The Mailer port's contract: an error with `permanent: true` is not retried. */
export function isPermanent(error: unknown): boolean {
  return field(error, 'permanent') === true
}

/** What may be logged about a failure: a code, never a message. */
export function reasonOf(error: unknown): string {
  if (error instanceof MailDeliveryError) return error.reason
  const code = field(error, 'code')
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code
  return error instanceof Error ? error.name : 'unknown'
}
