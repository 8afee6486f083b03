// A login whose client has gone away while its password check waits for a hash thread is dropped,
// not hashed for no one (src/crypto/admission-queue.ts, guards.ts's abandonableRequestContext).
// Over real sockets: inject() has no connection to close. One hash thread, so checks queue up.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import { bearer, makeTestServer, signUp, type TestServer } from '../helpers/app.ts'

const METRICS_TOKEN = 'a-scrape-token-for-tests'
const SENT = 20
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function metric(server: TestServer, pattern: RegExp): Promise<number> {
  const response = await server.app.inject({ url: '/metrics', headers: bearer(METRICS_TOKEN) })
  return Number(pattern.exec(response.body)?.[1] ?? '0')
}
const queueDepth = (server: TestServer): Promise<number> =>
  metric(server, /^latchkey_password_hash_queue_depth (\d+)$/m)
const failedLogins = (server: TestServer): Promise<number> =>
  metric(server, /^latchkey_login_total\{outcome="failed",reason="unknown_user"\} (\d+)$/m)

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

/** Sends a login on its own connection and leaves the socket open. */
async function sendLogin(port: number, n: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const body = JSON.stringify({ email: `gone-${n}@example.test`, password: 'not the password' })
  socket.write(
    `POST /auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
  socket.on('error', () => undefined) // the test destroys it
  return socket
}

describe('abandoned logins', () => {
  it('are dropped from the hash queue when their connection closes', async (t) => {
    const server = await makeTestServer({
      METRICS: 'on',
      METRICS_TOKEN,
      PASSWORD_HASH_THREADS: '1',
    })
    t.after(() => server.cleanup())
    await server.app.listen({ port: 0, host: '127.0.0.1' })
    const address = server.app.server.address()
    assert.ok(address !== null && typeof address === 'object')

    const sockets = await Promise.all(
      Array.from({ length: SENT }, (_, n) => sendLogin(address.port, n)),
    )
    let waiting = 0
    await until('logins to queue', async () => (waiting = await queueDepth(server)) >= SENT / 2)
    for (const socket of sockets) socket.destroy()

    await until('the queue to empty', async () => (await queueDepth(server)) === 0)
    // The checks that were running when the sockets closed finish; then the count stays put.
    let failed = await failedLogins(server)
    for (let settled = false; !settled;) {
      await sleep(200)
      const now = await failedLogins(server)
      settled = now === failed
      failed = now
    }
    assert.ok(failed >= 1, 'the first checks ran')
    assert.ok(
      failed < SENT,
      `all ${SENT} were hashed although ${waiting} were still waiting when their clients left`,
    )

    // The server goes on answering: signing up and in still works.
    const user = await signUp(server.app)
    assert.equal(user.login.statusCode, 200)
  })
})
