import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Logger, Mailer, MailMessage } from '../../src/core/ports.ts'
import { DEFAULT_RETRY_DELAYS_MS, DeliveryQueue } from '../../src/mail/delivery-queue.ts'
import { MailDeliveryError } from '../../src/mail/mail-error.ts'

const message: MailMessage = {
  to: 'ada@example.com',
  subject: 'Reset your password',
  text: 'https://auth.example.test/reset-password?token=SECRET-TOKEN',
  html: '<a href="https://auth.example.test/reset-password?token=SECRET-TOKEN">reset</a>',
}

function recordingLogger(): Logger & { lines: { level: string; obj: object; msg: string }[] } {
  const lines: { level: string; obj: object; msg: string }[] = []
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    void lines.push({ level, obj, msg })
  return { lines, info: log('info'), warn: log('warn'), error: log('error') }
}

/** Fails the first `failures` sends with `error`, then succeeds; records when each attempt ran. */
function flakyMailer(failures: number, error: () => Error): Mailer & { attempts: number[] } {
  const attempts: number[] = []
  return {
    attempts,
    async send() {
      attempts.push(Date.now())
      if (attempts.length <= failures) throw error()
    },
  }
}

describe('DeliveryQueue', () => {
  it('retries six times over about eight minutes by default, doubling each wait', () => {
    assert.equal(DEFAULT_RETRY_DELAYS_MS.length + 1, 6)
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)
    assert.ok(total >= 5 * 60_000 && total <= 10 * 60_000, `${total} ms`)
    DEFAULT_RETRY_DELAYS_MS.slice(1).forEach((delay, i) =>
      assert.equal(delay, 2 * DEFAULT_RETRY_DELAYS_MS[i]!),
    )
  })

  it('returns from enqueue at once and delivers after transient failures, backing off', async () => {
    const mailer = flakyMailer(3, () => new MailDeliveryError('smtp_451', false))
    const logger = recordingLogger()
    const queue = new DeliveryQueue(mailer, logger, { retryDelaysMs: [30, 60, 120, 240] })
    queue.enqueue(message, 'reset_password')
    assert.equal(mailer.attempts.length, 0, 'nothing is sent inside enqueue')
    await queue.idle()
    assert.equal(mailer.attempts.length, 4)
    const gaps = mailer.attempts.slice(1).map((at, i) => at - mailer.attempts[i]!)
    assert.ok(gaps[0]! >= 25 && gaps[1]! >= 50 && gaps[2]! >= 105, `gaps ${gaps.join(', ')}`)
    assert.deepEqual(
      logger.lines.map((line) => [line.level, line.msg]),
      [
        ['warn', 'mail delivery failed; will retry'],
        ['warn', 'mail delivery failed; will retry'],
        ['warn', 'mail delivery failed; will retry'],
        ['info', 'mail delivered'],
      ],
    )
    const logged = JSON.stringify(logger.lines)
    assert.ok(!logged.includes('SECRET-TOKEN') && !logged.includes('ada@example.com'))
  })

  it('does not retry a permanent failure, and gives up after the last attempt', async () => {
    const permanent = flakyMailer(99, () => new MailDeliveryError('smtp_550', true))
    const logger = recordingLogger()
    const queue = new DeliveryQueue(permanent, logger, { retryDelaysMs: [10, 10] })
    queue.enqueue(message, 'verify_email')
    await queue.idle()
    assert.equal(permanent.attempts.length, 1)

    const transient = flakyMailer(99, () =>
      Object.assign(new Error('boom SECRET-TOKEN'), { code: 'ETIMEDOUT' }),
    )
    const queue2 = new DeliveryQueue(transient, logger, { retryDelaysMs: [10, 10] })
    queue2.enqueue(message, 'verify_email')
    await queue2.idle()
    assert.equal(transient.attempts.length, 3)
    const gaveUp = logger.lines.filter((line) => line.msg === 'mail not delivered; giving up')
    assert.deepEqual(
      gaveUp.map((line) => (line.obj as { reason: string }).reason),
      ['smtp_550', 'ETIMEDOUT'],
    )
    assert.ok(!JSON.stringify(logger.lines).includes('SECRET-TOKEN'), 'no error message is logged')
  })

  it('drops mail past maxPending and on close, saying so', async () => {
    const logger = recordingLogger()
    const never = flakyMailer(99, () => new MailDeliveryError('smtp_451', false))
    const queue = new DeliveryQueue(never, logger, {
      retryDelaysMs: [60_000],
      maxPending: 2,
      closeGraceMs: 50,
    })
    queue.enqueue(message, 'a')
    queue.enqueue(message, 'b')
    queue.enqueue(message, 'c')
    assert.equal(logger.lines.filter((line) => line.msg.startsWith('mail dropped')).length, 1)
    await new Promise((resolve) => setTimeout(resolve, 30)) // both first attempts fail
    await queue.close()
    assert.equal(logger.lines.filter((line) => line.msg === 'mail dropped at shutdown').length, 2)
    await queue.idle() // nothing left
    queue.enqueue(message, 'after-close')
    assert.equal(never.attempts.length, 2)
  })
})
