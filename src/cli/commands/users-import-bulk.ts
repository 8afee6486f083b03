// `latchkey users import --bulk FILE [--batch-size N]`: the path for large exports (the bench
// seeds 1,000,000 users with it). Lines are streamed, not read whole; only password_hash lines
// are accepted (hashing a million plaintext passwords would take hours); each batch of N users is
// one transaction with one commit. A batch that fails (a duplicate email, a bad line) is retried
// line by line so the report names exactly the lines at fault and the good ones still go in.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { ImportUserInput } from '../../core/auth-api.js'
import { isAuthError } from '../../core/errors.js'
import type { Config } from '../../config/config.js'
import type { Runtime } from '../../server.js'
import type { Output } from '../output.js'
import { CLI_CONTEXT, withRuntime } from '../runtime.js'
import { parseImportLine } from './users-import.js'

interface Line {
  readonly lineNumber: number
  readonly input: ImportUserInput
}

function reasonOf(error: unknown): string | null {
  if (isAuthError(error))
    return error.detail === undefined ? error.code : `${error.code}: ${error.detail}`
  return null
}

async function importBatch(
  runtime: Runtime,
  batch: readonly Line[],
  failures: Map<number, string>,
): Promise<number> {
  try {
    return await runtime.auth.importUsersBatch(
      batch.map((line) => line.input),
      CLI_CONTEXT,
    )
  } catch (error) {
    if (reasonOf(error) === null) throw error // the database went away: not the lines' fault
  }
  let imported = 0
  for (const line of batch) {
    try {
      await runtime.auth.importUsersBatch([line.input], CLI_CONTEXT)
      imported++
    } catch (error) {
      const reason = reasonOf(error)
      if (reason === null) throw error
      failures.set(line.lineNumber, reason)
    }
  }
  return imported
}

export async function bulkImportUsers(
  runtime: Runtime,
  file: string,
  batchSize: number,
  output: Output,
): Promise<number> {
  const started = process.hrtime.bigint()
  const source = file === '-' ? process.stdin : createReadStream(file, 'utf8')
  const failures = new Map<number, string>()
  let imported = 0
  let lineNumber = 0
  let batch: Line[] = []
  for await (const text of createInterface({
    input: source,
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber++
    if (text.trim() === '') continue
    try {
      const input = parseImportLine(text)
      if (input.password !== undefined) throw new Error('--bulk takes password_hash lines only')
      batch.push({ lineNumber, input })
    } catch (error) {
      failures.set(lineNumber, error instanceof Error ? error.message : String(error))
    }
    if (batch.length >= batchSize) {
      imported += await importBatch(runtime, batch, failures)
      batch = []
    }
  }
  if (batch.length > 0) imported += await importBatch(runtime, batch, failures)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  for (const [line, message] of [...failures].sort(([a], [b]) => a - b).slice(0, 100)) {
    output.err(`line ${line}: ${message}`)
  }
  if (failures.size > 100) output.err(`... and ${failures.size - 100} more failed lines`)
  output.out(
    `imported ${imported}, failed ${failures.size} in ${seconds.toFixed(1)} s (${Math.round(imported / Math.max(seconds, 1e-3))} rows/s)`,
  )
  return failures.size === 0 ? 0 : 1
}

export function runBulkImport(
  config: Config,
  file: string,
  batchSize: number,
  output: Output,
): Promise<number> {
  return withRuntime(config, (runtime) => bulkImportUsers(runtime, file, batchSize, output))
}
