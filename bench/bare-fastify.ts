// The HTTP ceiling: a bare Fastify route answering a small JSON object, in its own process, like
// the server under test. Same framework, same machine, same load generator.
//
// With HEADERS=1 it is a second, informative baseline (not a target): the same route answering
// what a warm /auth/me answers on the wire, a ~260-byte user object with the security headers
// the spec requires (security-headers.ts, the very function the server uses) and an X-Request-Id.
// The distance between the two shows how much of the target's 30% the headers alone take.
//
// With WORKERS=N it runs as N node:cluster workers sharing the port, as `latchkey serve
// --workers N` does: the informative ceiling of the bench's cluster phases (bench/run.ts).
import cluster from 'node:cluster'
import { randomUUID } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import Fastify from 'fastify'
import { securityHeaderPairs, setSecurityHeaders } from '../src/http/security-headers.ts'

// The V8 setting `latchkey serve` runs with (bin/latchkey.js), so that the ceiling and the server
// run on the same runtime. The bare route never showed the state that setting prevents, and runs
// as fast with it as without.
setFlagsFromString('--no-allocation-site-pretenuring')

const port = Number(process.env['PORT'] ?? '3098')
const workers = Number(process.env['WORKERS'] ?? '0')
if (workers > 0 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork()
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM')
    process.exit(0)
  })
} else {
  await serve()
}

async function serve(): Promise<void> {
  const withHeaders = process.env['HEADERS'] === '1'
  const app = Fastify({ logger: false })
  const small = { id: 'c0ffee', email: 'bare@bench.test' }
  const user = {
    id: 'a68f6b4b-381e-428b-a657-e5718436b15a',
    email: 'user-1@bench.test',
    username: null,
    name: null,
    role: 'user',
    email_verified: false,
    mfa_enabled: false,
    disabled: false,
    created_at: '2026-11-21T11:09:59.034Z',
    updated_at: '2026-11-21T11:09:59.034Z',
    profile: {},
  }
  const pairs = securityHeaderPairs({ https: false })
  if (withHeaders) {
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('x-request-id', randomUUID())
      setSecurityHeaders(reply, pairs)
      done(null, payload)
    })
  }
  app.get('/hello', async () => (withHeaders ? user : small))
  await app.listen({ port, host: '127.0.0.1' })
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
}
