// The V8 setting bin/latchkey.js applies to its own process before loading anything: no
// allocation-site pretenuring (why: docs/decisions/008). V8 flags cannot be read back from
// JavaScript, so the test asks V8 to trace its pretenuring decisions: a process that makes none
// prints nothing, while the same command with pretenuring chosen explicitly prints them.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'latchkey-v8-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** `latchkey --help` from source with extra node options; its output, both streams together. */
function runHelp(nodeOptions: readonly string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    [...nodeOptions, '--import', import.meta.resolve('tsx'), BIN, '--help'],
    {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, LATCHKEY_FROM_SOURCE: '1' },
    },
  )
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

const pretenuringLines = (out: string): number =>
  out.split('\n').filter((line) => line.includes('pretenuring:')).length

describe('the V8 setting of a latchkey process', () => {
  it('makes no allocation-site pretenuring decision while loading and running', async () => {
    const { code, out } = await runHelp(['--trace-pretenuring-statistics'])
    assert.equal(code, 0, out)
    assert.match(out, /Usage: latchkey <command>/, 'the command ran')
    assert.equal(pretenuringLines(out), 0, 'V8 traced pretenuring decisions')
  })

  it('leaves pretenuring on when the operator chose it explicitly (and the trace shows it)', async () => {
    const { code, out } = await runHelp([
      '--allocation-site-pretenuring',
      '--trace-pretenuring-statistics',
    ])
    assert.equal(code, 0, out)
    assert.ok(pretenuringLines(out) > 0, 'no pretenuring decision was traced')
  })
})
