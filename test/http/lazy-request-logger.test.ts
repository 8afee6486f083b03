// request.log is made lazily (http/lazy-request-logger.ts): the lines it writes must be those a
// pino child would write, with the request id bound and secrets redacted, and nothing below the
// level.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import Fastify from 'fastify'
import { createLogger } from '../../src/config/logger.ts'
import { lazyRequestLogger } from '../../src/http/lazy-request-logger.ts'

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}

describe('lazy request logger', () => {
  it('writes what a pino child would: request id bound, secrets redacted, nothing below the level', async () => {
    const out = capture()
    const app = Fastify({
      loggerInstance: createLogger('warn', out.stream),
      genReqId: () => 'req-1',
      childLoggerFactory: lazyRequestLogger,
    })
    app.get('/x', async (request) => {
      request.log.info({ ignored: true }, 'below the level')
      request.log.warn({ token: 'tk_secret_value', where: 'x' }, 'something odd')
      request.log.child({ step: 'inner' }).error('inner failure')
      assert.equal(request.log.level, 'warn')
      return { ok: true }
    })
    try {
      const response = await app.inject({ method: 'GET', url: '/x' })
      assert.equal(response.statusCode, 200)
      const lines = out.lines()
      assert.equal(lines.length, 2, JSON.stringify(lines))
      const [warn, inner] = lines
      assert.equal(warn?.['msg'], 'something odd')
      assert.equal(warn?.['reqId'], 'req-1')
      assert.equal(warn?.['token'], '[REDACTED]')
      assert.equal(warn?.['where'], 'x')
      assert.equal(inner?.['msg'], 'inner failure')
      assert.equal(inner?.['reqId'], 'req-1')
      assert.equal(inner?.['step'], 'inner')
      assert.ok(!JSON.stringify(lines).includes('tk_secret_value'))
    } finally {
      await app.close()
    }
  })

  it("logs Fastify's own request lines at info, each with its id", async () => {
    const out = capture()
    let n = 0
    const app = Fastify({
      loggerInstance: createLogger('info', out.stream),
      genReqId: () => `req-${++n}`,
      childLoggerFactory: lazyRequestLogger,
    })
    app.get('/y', async () => ({ ok: true }))
    try {
      await app.inject({ method: 'GET', url: '/y' })
      await app.inject({ method: 'GET', url: '/y' })
      const ids = out.lines().map((line) => line['reqId'])
      assert.deepEqual(ids, ['req-1', 'req-1', 'req-2', 'req-2']) // "incoming request", "request completed"
    } finally {
      await app.close()
    }
  })
})
