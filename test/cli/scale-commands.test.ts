// `latchkey users import --bulk` and `latchkey serve --workers N` as an operator runs them: real
// processes on a temporary SQLite database.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { hashSync } from '@node-rs/argon2'

const BIN = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url))
const PASSWORD = 'violet-harbour-lantern-1987'
const dir = mkdtempSync(join(tmpdir(), 'latchkey-scale-cli-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    LATCHKEY_FROM_SOURCE: '1',
    DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`,
    SECRET_KEY: 'ef'.repeat(32),
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_THREADS: '2',
    ...extra,
  }
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BIN, ...args], {
    cwd: dir,
    env: env(),
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('users import --bulk', () => {
  it('imports pre-hashed lines in batches and names exactly the bad lines', async () => {
    const hash = hashSync(PASSWORD, {
      algorithm: 2,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    })
    const lines = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({ email: `bulk-${i}@example.com`, password_hash: hash }),
    )
    lines.push(JSON.stringify({ email: 'BULK-3@example.com', password_hash: hash })) // duplicate
    lines.push(JSON.stringify({ email: 'plain@example.com', password: PASSWORD })) // not pre-hashed
    lines.push('{"email": "x@example.com", "password_hash": "md5:abc"}') // not importable
    const file = join(dir, 'users.jsonl')
    writeFileSync(file, `${lines.join('\n')}\n`)
    const result = await run(['users', 'import', '--bulk', file, '--batch-size', '10'])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stdout, /imported 25, failed 3/)
    assert.match(result.stderr, /line 26: email_taken/)
    assert.match(result.stderr, /line 27: --bulk takes password_hash lines only/)
    assert.match(result.stderr, /line 28: validation_failed/)
    const list = await run(['user', 'list'])
    assert.match(list.stdout, /bulk-24@example\.com/)
  })
})

describe('serve --workers', () => {
  it('refuses a bad count', async () => {
    const result = await run(['serve', '--workers', '0'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--workers expects a whole number/)
  })

  it('serves from N workers on one port and stops them all on SIGTERM', async () => {
    const port = 3400 + Math.floor(Math.random() * 500)
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), BIN, 'serve', '--workers', '2'],
      { cwd: dir, env: env({ PORT: String(port), HOST: '127.0.0.1' }) },
    )
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
    for (let i = 0; i < 300 && (stdout.match(/listening/g) ?? []).length < 2; i++) await sleep(100)
    assert.equal((stdout.match(/listening/g) ?? []).length, 2, stdout)
    const response = await fetch(`http://127.0.0.1:${port}/healthz`)
    assert.equal(response.status, 200)
    child.kill('SIGTERM')
    assert.equal(await closed, 0)
  })
})
