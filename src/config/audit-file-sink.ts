// AUDIT_LOG_FILE: a JSON-lines copy of the audit log for log shippers. The database keeps the
// authoritative, hash-chained log; this copy is best effort and never blocks a request on failure.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { AuditSink } from '../core/ports.js'
import type { AuditEvent } from '../core/types.js'

/** The audit event as it appears on the wire (api.md): snake_case, ISO 8601 UTC timestamps. */
export function encodeAuditEventLine(event: AuditEvent): string {
  // One JSON document per line: JSON.stringify escapes CR/LF inside values, so a user-supplied
  // user agent cannot forge an extra line (log injection, SEC-AUDIT-03).
  return `${JSON.stringify({
    id: event.id,
    at: event.at.toISOString(),
    type: event.type,
    user_id: event.userId,
    actor_id: event.actorId,
    session_id: event.sessionId,
    ip: event.ip,
    user_agent: event.userAgent,
    data: event.data,
  })}\n`
}

export interface AuditFileSink extends AuditSink {
  close(): void
}

/**
 * Appends each event synchronously (O_APPEND), so lines are whole, in order, and not lost in a
 * buffer when the process is killed. Events carry no secrets (core/audit), so none reach the file.
 */
export function openAuditFileSink(
  file: string,
  onError: (error: unknown) => void = () => undefined,
): AuditFileSink {
  const path = resolve(file)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  let fd: number | null = openSync(path, 'a', 0o600)
  return {
    write(event: AuditEvent): void {
      if (fd === null) return
      try {
        writeSync(fd, encodeAuditEventLine(event))
      } catch (error) {
        onError(error)
      }
    },
    close(): void {
      if (fd === null) return
      closeSync(fd)
      fd = null
    },
  }
}
