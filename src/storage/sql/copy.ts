// `latchkey db copy`: every row of every table from one store to another (SQLite → PostgreSQL,
// PostgreSQL → MySQL, …). Values move as stored: the schema keeps one representation on all three
// databases (schema.ts: epoch-ms integers, 0/1 flags, hex hashes, JSON text), so no conversion is
// needed and the audit chain's hashes still verify on the copy.
import { sql, type Kysely, type Transaction } from 'kysely'
import { readTableShapes, type TableShape } from './introspect.js'
import type { Database } from './schema.js'
import type { SqlStore } from './store.js'

type Row = Record<string, unknown>
/** Tables are named at run time (introspect.ts), so the copy sees the database untyped. */
type AnyDatabase = Record<string, Row>

export interface CopyOptions {
  /** Replace whatever the target holds; without it a non-empty target is refused. */
  readonly force?: boolean
  /** Rows read per batch (default 1000). */
  readonly batchSize?: number
  readonly onProgress?: (table: string, copied: number) => void
}

export interface TableCount {
  readonly table: string
  readonly source: number
  readonly target: number
}

/** The target holds data and --force was not given, or the two schemas differ. */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CopyRefusedError'
  }
}

// Bound parameters per INSERT: well under SQLite's 32766, PostgreSQL's and MySQL's 65535.
const PARAMETER_BUDGET = 4_000

function untyped(db: Kysely<Database>): Kysely<AnyDatabase> {
  return db as unknown as Kysely<AnyDatabase> // tables named at run time; rows are plain records
}

async function countRows(db: Kysely<AnyDatabase>, table: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()
  return Number(row['n'])
}

/** The migration adds the audit chain's head row (seq 0); a target holding only that is empty. */
async function findData(
  db: Kysely<AnyDatabase>,
  tables: readonly TableShape[],
): Promise<string | null> {
  for (const { name } of tables) {
    if (name === 'audit_chain_head') {
      const head = await db.selectFrom(name).select('seq').executeTakeFirst()
      if (head !== undefined && Number(head['seq']) !== 0) return name
      continue
    }
    if ((await countRows(db, name)) > 0) return name
  }
  return null
}

async function copyTable(
  from: Transaction<AnyDatabase>,
  to: Transaction<AnyDatabase>,
  table: TableShape,
  batchSize: number,
  onProgress: CopyOptions['onProgress'],
): Promise<number> {
  let after: unknown[] | null = null
  let copied = 0
  for (;;) {
    // Keyset pagination on the primary key: each batch starts after the last key read, so the
    // cost per batch stays flat however large the table (OFFSET would rescan).
    let query = from.selectFrom(table.name).selectAll()
    if (after !== null) {
      const keys = sql.join(table.primaryKey.map((column) => sql.ref(column)))
      query = query.where(sql<boolean>`(${keys}) > (${sql.join(after)})`)
    }
    for (const column of table.primaryKey) query = query.orderBy(column)
    const rows: Row[] = await query.limit(batchSize).execute()
    const last = rows.at(-1)
    if (last === undefined) break
    const perInsert = Math.max(1, Math.floor(PARAMETER_BUDGET / Object.keys(last).length))
    for (let i = 0; i < rows.length; i += perInsert) {
      await to
        .insertInto(table.name)
        .values(rows.slice(i, i + perInsert))
        .execute()
    }
    copied += rows.length
    onProgress?.(table.name, copied)
    after = table.primaryKey.map((column) => last[column])
    if (rows.length < batchSize) break
  }
  return copied
}

/** A consistent read of the source: one snapshot for every table (SQLite: its write lock). */
function readSnapshot<T>(
  store: SqlStore,
  work: (trx: Transaction<AnyDatabase>) => Promise<T>,
): Promise<T> {
  const begin = untyped(store.db).transaction()
  return (store.kind === 'sqlite' ? begin : begin.setIsolationLevel('repeatable read')).execute(
    work,
  )
}

/**
 * Copies every row, in one transaction on the target: a copy that fails half-way leaves the
 * target as it was. Then counts each table on both sides; the caller reports any difference.
 * Both stores must be migrated to the same version (the CLI migrates the target first).
 */
export async function copyDatabase(
  source: SqlStore,
  target: SqlStore,
  options: CopyOptions = {},
): Promise<TableCount[]> {
  const tables = await readTableShapes(source.db, source.kind)
  const targetTables = await readTableShapes(target.db, target.kind)
  const names = (shapes: readonly TableShape[]): string =>
    shapes
      .map((t) => t.name)
      .sort()
      .join(', ')
  if (names(tables) !== names(targetTables)) {
    throw new CopyRefusedError(
      `the schemas differ (source: ${names(tables)}; target: ${names(targetTables)}); migrate both to the same version`,
    )
  }
  const to = untyped(target.db)
  if (options.force !== true) {
    const holding = await findData(to, targetTables)
    if (holding !== null) {
      throw new CopyRefusedError(
        `the target database is not empty (table ${holding} has rows); give --force to replace its contents`,
      )
    }
  }
  const batchSize = Math.max(1, options.batchSize ?? 1_000)
  const sourceCounts = new Map<string, number>()
  await to.transaction().execute(async (targetTrx) => {
    // Children first, so no foreign key is left pointing at a deleted row.
    for (const table of [...targetTables].reverse())
      await targetTrx.deleteFrom(table.name).execute()
    await readSnapshot(source, async (sourceTrx) => {
      for (const table of tables) {
        await copyTable(sourceTrx, targetTrx, table, batchSize, options.onProgress)
        sourceCounts.set(table.name, await countRows(sourceTrx, table.name))
      }
    })
  })
  const counts: TableCount[] = []
  for (const table of tables) {
    counts.push({
      table: table.name,
      source: sourceCounts.get(table.name) ?? 0,
      target: await countRows(to, table.name),
    })
  }
  return counts
}
