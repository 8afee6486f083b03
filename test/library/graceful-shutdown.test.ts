// SIGTERM on a real `latchkey serve` process while a request is still arriving: the listener
// stops, the in-flight request is answered in full, then the pools close and the process exits
// on its own (a pool left open would keep it alive until the 20 s grace timer exits with 1).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'latchkey-shutdown-'))
after(() => rmSync(dir, { recursive: true, force: true }))

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  assert.ok(address !== null && typeof address === 'object')
  return address.port
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('graceful shutdown', () => {
  it('SIGTERM drains an in-flight request, closes the pools and exits 0', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BIN, 'serve'], {
      cwd: dir,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: dir,
        LATCHKEY_FROM_SOURCE: '1',
        PORT: String(port),
        HOST: '127.0.0.1',
        PASSWORD_HASH_THREADS: '1',
        LOG_LEVEL: 'info',
      },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = once(child, 'exit')
    try {
      const deadline = Date.now() + 30_000
      while (!output.includes('Latchkey is listening at')) {
        assert.ok(child.exitCode === null, output)
        assert.ok(Date.now() < deadline, `no start in 30 s:\n${output}`)
        await sleep(50)
      }

      // A registration whose body is still on its way when the signal comes.
      const body = JSON.stringify({
        email: 'slow@example.com',
        password: 'violet-harbour-lantern-1987',
      })
      const socket = connect(port, '127.0.0.1')
      await once(socket, 'connect')
      let answer = ''
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
      socket.write(
        `POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
          body.slice(0, 10),
      )
      await sleep(300)
      child.kill('SIGTERM')
      await sleep(700)
      assert.equal(child.exitCode, null, 'still running while the request is in flight')
      // New connections are no longer accepted.
      const refused = connect(port, '127.0.0.1')
      const [event] = await Promise.race([
        once(refused, 'error').then(() => ['error']),
        once(refused, 'connect').then(() => ['connect']),
      ])
      refused.destroy()
      assert.equal(event, 'error')

      socket.write(body.slice(10))
      const [code] = (await exited) as [number | null]
      await sleep(50)
      assert.match(answer, /^HTTP\/1\.1 201 /, answer)
      assert.equal(code, 0, `${output}\n---\n${answer}`)
      assert.match(output, /SIGTERM received, finishing in-flight requests/)
      // Every request's log lines carry its id (random UUIDs, not a counter).
      assert.match(output, /"reqId":"[0-9a-f-]{36}"/)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
