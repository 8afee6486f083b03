import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { openAuditFileSink } from '../../src/config/audit-file-sink.ts'
import type { AuditEvent } from '../../src/core/types.ts'

const dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const event: AuditEvent = {
  id: 'evt-1',
  at: new Date('2030-01-02T03:04:05.678Z'),
  type: 'user.login_failed',
  userId: 'user-1',
  actorId: null,
  sessionId: null,
  ip: '203.0.113.9',
  userAgent: 'evil\n{"type":"forged"}',
  data: { reason: 'invalid_credentials' },
}

describe('the AUDIT_LOG_FILE sink', () => {
  it('appends one snake_case JSON line per event to a private file', () => {
    const file = join(dir, 'logs', 'audit.jsonl')
    const sink = openAuditFileSink(file)
    sink.write(event)
    sink.write({ ...event, id: 'evt-2' })
    sink.close()
    const lines = readFileSync(file, 'utf8').split('\n')
    assert.equal(lines.length, 3)
    assert.equal(lines[2], '')
    assert.deepEqual(JSON.parse(lines[0] ?? ''), {
      id: 'evt-1',
      at: '2030-01-02T03:04:05.678Z',
      type: 'user.login_failed',
      user_id: 'user-1',
      actor_id: null,
      session_id: null,
      ip: '203.0.113.9',
      user_agent: 'evil\n{"type":"forged"}',
      data: { reason: 'invalid_credentials' },
    })
    assert.equal(statSync(file).mode & 0o777, 0o600)
  })

  it('keeps earlier lines when reopened, and ignores writes after close', () => {
    const file = join(dir, 'reopen.jsonl')
    const first = openAuditFileSink(file)
    first.write(event)
    first.close()
    first.write(event)
    const second = openAuditFileSink(file)
    second.write(event)
    second.close()
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 2)
  })
})
