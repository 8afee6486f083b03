import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Fastify, { type LightMyRequestResponse } from 'fastify'
import { loadConfig } from '../../src/config/env.ts'
import { latchkeyFrameworkErrors } from '../../src/http/framework-errors.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

// URLs Fastify refuses before routing: no plugin context (so none of our hooks) exists yet.
const BAD_URLS = ['/users/%E0%A4%A', `/users/${'x'.repeat(200)}`, '/%E0%A4%A/<script>']

function assertProblem(response: LightMyRequestResponse, url: string): void {
  assert.equal(response.statusCode, 400, url)
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/, url)
  assert.equal(response.json<{ code: string }>().code, 'invalid_request', url)
  assert.ok(
    !response.body.includes('<script>') && !response.body.includes('xxxxxxxx'),
    'the path is not echoed',
  )
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/, url)
  assert.equal(response.headers['x-content-type-options'], 'nosniff', url)
}

describe('framework errors (malformed URL, over-long path parameter)', () => {
  it('latchkeyFrameworkErrors answers problem+json with security headers', async () => {
    const http = loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).http
    const app = Fastify({ frameworkErrors: latchkeyFrameworkErrors(http) })
    app.get('/users/:id', async () => ({ ok: true }))
    try {
      for (const url of BAD_URLS) assertProblem(await app.inject({ method: 'GET', url }), url)
    } finally {
      await app.close()
    }
  })

  describe('through buildServer', () => {
    let t: TestApp
    before(async () => {
      t = await makeApp()
    })
    after(async () => {
      await t.close()
    })

    it('never answers 5xx', async () => {
      for (const url of BAD_URLS) {
        const response = await t.app.inject({ method: 'GET', url })
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, url)
      }
    })

    it('answers problem+json with security headers', async () => {
      for (const url of BAD_URLS) assertProblem(await t.app.inject({ method: 'GET', url }), url)
    })
  })
})
