import type { Config } from '../../config/config.js'
import { parseDatabaseURL } from '../../config/parse-network.js'
import { copyDatabase } from '../../storage/sql/copy.js'
import { openSqlStore, runMigrations } from '../../storage/sql/open-store.js'
import type { SqlStore } from '../../storage/sql/store.js'
import type { Output } from '../output.js'
import { UsageError } from '../usage.js'

export interface DbCopyArgs {
  /** The target DATABASE_URL. */
  readonly to: string
  readonly force: boolean
  readonly batchSize?: number
}

/** A URL fit for the terminal: the password never is. */
export function describeDatabase(url: string): string {
  if (url.startsWith('sqlite:')) return url
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(target)' // parseDatabaseURL accepted it, so this is not expected
  }
}

export function parseBatchSize(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new UsageError(`db copy: --batch-size must be an integer 1-100000, got "${raw}"`)
  }
  return value
}

/**
 * `latchkey db copy --to URL [--force]`: migrates the target, copies every row of every table
 * from DATABASE_URL in batches (one transaction on the target), then prints each table's row
 * count on both sides. Exit 1 if any count differs. Stop the servers first, or writes made
 * during the copy may be missing from it (the source is read as one snapshot).
 */
export async function runDbCopy(config: Config, args: DbCopyArgs, output: Output): Promise<number> {
  const to = parseDatabaseURL('--to', args.to)
  if (to === config.databaseUrl) throw new UsageError('db copy: --to names DATABASE_URL itself')
  output.out(`copying ${describeDatabase(config.databaseUrl)} → ${describeDatabase(to)}`)
  await runMigrations(to, 'up')
  let source: SqlStore | undefined
  let target: SqlStore | undefined
  try {
    source = await openSqlStore(config.databaseUrl)
    target = await openSqlStore(to)
    const counts = await copyDatabase(source, target, {
      force: args.force,
      ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize }),
    })
    const width = Math.max(5, ...counts.map((c) => c.table.length))
    output.out(`${'table'.padEnd(width)}  ${'source'.padStart(9)}  ${'target'.padStart(9)}`)
    for (const { table, source: from, target: copied } of counts) {
      const flag = from === copied ? '' : '  MISMATCH'
      output.out(
        `${table.padEnd(width)}  ${String(from).padStart(9)}  ${String(copied).padStart(9)}${flag}`,
      )
    }
    const total = counts.reduce((sum, c) => sum + c.source, 0)
    const mismatched = counts.filter((c) => c.source !== c.target)
    if (mismatched.length > 0) {
      output.err(`db copy: row counts differ in ${mismatched.map((c) => c.table).join(', ')}`)
      return 1
    }
    output.out(`copied ${total} rows in ${counts.length} tables; every count matches`)
    return 0
  } finally {
    await Promise.all([source?.close(), target?.close()])
  }
}
