// buildServer over a fresh SQLite file, sending mail to a real SMTP server (smtp-sink.ts), with
// a short retry schedule and the application log captured line by line.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/env.ts'
import { createLogger } from '../../src/config/logger.ts'
import type { Auth } from '../../src/core/auth-api.ts'
import type { Clock } from '../../src/core/ports.ts'
import type { MailRuntime } from '../../src/mail/open-mail.ts'
import { buildServer } from '../../src/server.ts'

export const PUBLIC_URL = 'https://auth.example.test'
export const TEST_RETRY_DELAYS_MS = [40, 80, 160, 320, 640]

export interface MailApp {
  readonly app: FastifyInstance
  readonly auth: Auth
  readonly mail: MailRuntime
  readonly dir: string
  /** Every line the application logged (pino JSON), at level info and above. */
  readonly logLines: readonly string[]
  close(): Promise<void>
}

export interface MailAppOptions {
  /** Without it, the dev outbox. */
  readonly smtpUrl?: string
  readonly env?: Readonly<Record<string, string>>
  readonly clock?: Clock
  readonly retryDelaysMs?: readonly number[]
}

export async function makeMailApp(options: MailAppOptions = {}): Promise<MailApp> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-mail-'))
  const logLines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'))
      callback()
    },
  })
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'test.db')}`,
    SECRET_KEY: 'ab'.repeat(32),
    SECRET_KEY_FILE: join(dir, 'secret.key'),
    PUBLIC_URL,
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'info',
    PASSWORD_HASH_THREADS: '2',
    ...(options.smtpUrl === undefined ? {} : { SMTP_URL: options.smtpUrl }),
    ...options.env,
  })
  const built = await buildServer(config, {
    logger: createLogger(config.logLevel, stream),
    mailDelivery: { retryDelaysMs: options.retryDelaysMs ?? TEST_RETRY_DELAYS_MS },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  return {
    app: built.app,
    auth: built.auth,
    mail: built.mail,
    dir,
    logLines,
    async close() {
      await built.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
