import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { createLogger, redactURL } from '../../src/config/logger.ts'

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'))
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}

describe('the application log', () => {
  it('hides one-time secrets in logged URLs', () => {
    assert.equal(
      redactURL('/reset-password?token=abc123&next=%2Fx'),
      '/reset-password?token=[REDACTED]&next=%2Fx',
    )
    assert.equal(
      redactURL('/auth/oauth/google/callback?code=c0de&state=s7a7e'),
      '/auth/oauth/google/callback?code=[REDACTED]&state=[REDACTED]',
    )
    assert.equal(redactURL('/auth/me'), '/auth/me')
  })

  it('redacts credentials wherever they appear in a logged object', () => {
    const { stream, text } = capture()
    const logger = createLogger('info', stream)
    logger.info(
      {
        headers: { authorization: 'Bearer canary-bearer', cookie: 'sid=canary-cookie' },
        body: { password: 'canary-password', refresh_token: 'canary-refresh' },
        new_password: 'canary-new',
        nested: { deeper: { secret: 'canary-secret' } },
      },
      'something happened',
    )
    const line = text()
    assert.match(line, /something happened/)
    assert.doesNotMatch(line, /canary/)
  })

  it('logs a client error without its message, which may quote the request body', () => {
    const { stream, text } = capture()
    const logger = createLogger('info', stream)
    const error = Object.assign(new SyntaxError('Unexpected token in "password=canary"'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON',
    })
    logger.info({ err: error }, 'request errored')
    const line = text()
    assert.doesNotMatch(line, /canary/)
    assert.match(line, /FST_ERR_CTP_INVALID_JSON/)
  })
})
