// The warm /auth/me lane (src/http/warm-me-lane.ts) answers before Fastify's router. These tests
// talk to a listening server over real HTTP (inject() never reaches the lane) and check that its
// answers are the route's, header by header, and that it steps aside whenever the route would do
// something it does not.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import {
  bearer,
  cookieHeaders,
  makeTestServer,
  signUp,
  type LoggedIn,
  type TestServer,
} from '../helpers/app.ts'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Answer {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

async function get(base: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { headers })
  const body = await response.text()
  return { status: response.status, headers: Object.fromEntries(response.headers), body }
}

async function getWithBody(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const framed = { ...headers, 'content-length': String(Buffer.byteLength(body)) }
    const request = httpRequest(url, { method: 'GET', headers: framed }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode))
    })
    request.on('error', reject)
    request.end(body)
  })
}

/** What must be equal between two answers: all but the date and the (random) request id. */
function comparable(answer: Answer): Answer {
  const { date, 'x-request-id': requestId, ...headers } = answer.headers
  assert.ok(date !== undefined, 'the answer is dated')
  assert.match(
    requestId ?? '',
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  )
  return { ...answer, headers }
}

/** One answer from the lane and one from Fastify (a query string sends it there), compared. */
async function assertSameAsRoute(
  server: TestServer,
  base: string,
  headers: Record<string, string>,
): Promise<Answer> {
  const before = server.warmLaneAnswers()
  const routed = await get(base, '/auth/me?via=fastify', headers)
  assert.equal(server.warmLaneAnswers(), before, 'a query string is left to Fastify')
  const laned = await get(base, '/auth/me', headers)
  assert.equal(server.warmLaneAnswers(), before + 1, 'the lane answered')
  assert.deepEqual(comparable(laned), comparable(routed))
  return laned
}

async function listening(env: Record<string, string> = {}): Promise<[TestServer, string]> {
  const server = await makeTestServer(env)
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' })
  return [server, base]
}

describe('the warm /auth/me lane', () => {
  let server: TestServer
  let base: string
  let user: LoggedIn
  before(async () => {
    ;[server, base] = await listening()
    user = await signUp(server.app)
  })
  after(async () => {
    await server.cleanup()
  })

  it('answers a bearer check with the route’s status, headers and body', async () => {
    const answer = await assertSameAsRoute(server, base, bearer(user.accessToken))
    assert.equal(answer.status, 200)
    assert.equal((JSON.parse(answer.body) as { email: string }).email, user.email)
    assert.equal(answer.headers['cache-control'], 'no-store')
    assert.match(answer.headers['content-security-policy'] ?? '', /object-src 'none'/)
  })

  it('answers a cookie check the same way, with @fastify/cookie’s parsing', async () => {
    const headers = cookieHeaders(user.sessionToken)
    await assertSameAsRoute(server, base, headers)
    await assertSameAsRoute(server, base, {
      ...headers,
      cookie: `theme=dark; ${headers['cookie'] ?? ''}; other="x"`,
    })
  })

  it('leaves every refusal to the route: the bearer wins over a good cookie, as there', async () => {
    const before = server.warmLaneAnswers()
    const badBearer = await get(base, '/auth/me', {
      ...cookieHeaders(user.sessionToken),
      authorization: 'Bearer not.a.token',
    })
    assert.equal(badBearer.status, 401)
    assert.equal(badBearer.headers['content-type'], 'application/problem+json; charset=utf-8')
    const none = await get(base, '/auth/me', {})
    assert.equal(none.status, 401)
    assert.equal(server.warmLaneAnswers(), before)
  })

  it('steps aside for HEAD, a body and an Origin', async () => {
    const before = server.warmLaneAnswers()
    const head = await fetch(`${base}/auth/me`, {
      method: 'HEAD',
      headers: bearer(user.accessToken),
    })
    assert.equal(head.status, 200)
    // fetch() drops Content-Length on a GET; node:http sends what it is told.
    const withBody = await getWithBody(`${base}/auth/me`, bearer(user.accessToken), '{}')
    assert.equal(withBody, 200)
    const withOrigin = await get(base, '/auth/me', {
      ...bearer(user.accessToken),
      origin: 'https://elsewhere.example',
    })
    assert.equal(withOrigin.status, 200)
    assert.equal(server.warmLaneAnswers(), before)
  })

  it('refuses a logged-out session at once: the next check is the route’s 401', async () => {
    const other = await signUp(server.app)
    const headers = bearer(other.accessToken)
    await assertSameAsRoute(server, base, headers)
    const out = await fetch(`${base}/auth/logout`, { method: 'POST', headers })
    assert.equal(out.status, 204)
    const before = server.warmLaneAnswers()
    const after = await get(base, '/auth/me', headers)
    assert.equal(after.status, 401)
    const cookie = await get(base, '/auth/me', cookieHeaders(other.sessionToken))
    assert.equal(cookie.status, 401)
    assert.equal(server.warmLaneAnswers(), before)
  })
})

describe('the warm /auth/me lane under other settings', () => {
  it('sends the CORS Vary the route sends, and leaves requests with an Origin to CORS', async () => {
    const [server, base] = await listening({ CORS_ORIGINS: 'https://app.example' })
    try {
      const user = await signUp(server.app)
      const answer = await assertSameAsRoute(server, base, bearer(user.accessToken))
      assert.equal(answer.headers['vary'], 'Origin')
      const before = server.warmLaneAnswers()
      const cors = await get(base, '/auth/me', {
        ...bearer(user.accessToken),
        origin: 'https://app.example',
      })
      assert.equal(cors.headers['access-control-allow-origin'], 'https://app.example')
      assert.equal(server.warmLaneAnswers(), before)
    } finally {
      await server.cleanup()
    }
  })

  it('sends HSTS with an https PUBLIC_URL, and leaves X-Forwarded-Proto to the redirect', async () => {
    const [server, base] = await listening({
      PUBLIC_URL: 'https://auth.example',
      TRUST_PROXY: '127.0.0.1',
    })
    try {
      const user = await signUp(server.app)
      const answer = await assertSameAsRoute(server, base, bearer(user.accessToken))
      assert.match(answer.headers['strict-transport-security'] ?? '', /max-age=31536000/)
      const before = server.warmLaneAnswers()
      const plain = await fetch(`${base}/auth/me`, {
        headers: { ...bearer(user.accessToken), 'x-forwarded-proto': 'http' },
        redirect: 'manual',
      })
      assert.equal(plain.status, 308)
      assert.equal(plain.headers.get('location'), 'https://auth.example/auth/me')
      assert.equal(server.warmLaneAnswers(), before)
    } finally {
      await server.cleanup()
    }
  })

  it('is off while request logging is on, so every request keeps its log lines', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'))
        done()
      },
    })
    const logged = await makeTestServer(
      { LOG_LEVEL: 'info' },
      { logger: pino({ level: 'info' }, sink) },
    )
    const base = await logged.app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const user = await signUp(logged.app)
      const answer = await get(base, '/auth/me', bearer(user.accessToken))
      assert.equal(answer.status, 200)
      assert.equal(logged.warmLaneAnswers(), 0)
      const completed = lines.filter((line) => line.includes('"request completed"'))
      assert.ok(completed.some((line) => line.includes(answer.headers['x-request-id'] ?? '-')))
    } finally {
      await logged.cleanup()
    }
  })

  it('steps aside once closing has begun, so the answer carries Connection: close', async () => {
    const [server, base] = await listening()
    const user = await signUp(server.app)
    const { port } = new URL(base)
    await assertSameAsRoute(server, base, bearer(user.accessToken))
    const before = server.warmLaneAnswers()
    // A request whose headers are still arriving keeps its connection out of the idle ones that
    // closing drops at once; the rest of it comes after closing has begun.
    const socket = connect(Number(port), '127.0.0.1')
    await once(socket, 'connect')
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.write(`GET /auth/me HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`)
    await sleep(100)
    const closed = server.cleanup()
    await sleep(100)
    socket.write(`Authorization: Bearer ${user.accessToken}\r\n\r\n`)
    await Promise.race([once(socket, 'close'), sleep(5_000)])
    socket.destroy()
    await closed
    assert.match(answer, /^HTTP\/1\.1 \d{3} /)
    assert.match(answer, /\r\nconnection: close\r\n/i)
    assert.equal(server.warmLaneAnswers(), before)
  })

  it('is off with METRICS=on, so every answer is timed', async () => {
    const [server, base] = await listening({ METRICS: 'on' })
    try {
      const user = await signUp(server.app)
      const answer = await get(base, '/auth/me', bearer(user.accessToken))
      assert.equal(answer.status, 200)
      assert.equal(server.warmLaneAnswers(), 0)
      const metrics = await get(base, '/metrics', {})
      assert.match(
        metrics.body,
        /latchkey_http_request_duration_seconds_count\{[^}]*route="\/auth\/me"/,
      )
    } finally {
      await server.cleanup()
    }
  })
})
