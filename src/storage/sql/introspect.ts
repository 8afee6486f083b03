// What `db copy` needs to know about a schema, read from the database itself rather than from a
// list kept by hand: the tables, each one's primary key (the order batches are read in) and which
// tables each references (the order rows are inserted in). A table added by a later migration is
// copied without a change here.
import { sql, type Kysely } from 'kysely'
import type { SqlKind } from './dialects/sql-dialect.js'
import type { Database } from './schema.js'

export interface TableShape {
  readonly name: string
  /** Primary-key columns in key order. */
  readonly primaryKey: readonly string[]
  /** Tables this one has foreign keys to (other than itself). */
  readonly references: readonly string[]
}

// Kysely's own bookkeeping: each database migrates itself.
const SKIPPED = new Set(['kysely_migration', 'kysely_migration_lock'])

interface KeyRow {
  table_name: string
  column_name: string
  position: number
}

interface ReferenceRow {
  table_name: string
  referenced: string
}

async function sqliteShape(db: Kysely<Database>): Promise<Map<string, TableShape>> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  const shapes = new Map<string, TableShape>()
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string; pk: number }>`
      select name, pk from pragma_table_info(${name})`.execute(db)
    const references = await sql<{ table: string }>`
      select "table" from pragma_foreign_key_list(${name})`.execute(db)
    shapes.set(name, {
      name,
      primaryKey: columns.rows
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: references.rows.map((r) => r.table),
    })
  }
  return shapes
}

async function postgresShape(db: Kysely<Database>): Promise<Map<string, TableShape>> {
  // pg_catalog rather than information_schema: constraint names are unique per table only.
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname = current_schema()`.execute(db)
  const keys = await sql<KeyRow>`
    select t.relname as table_name, a.attname as column_name,
           array_position(k.conkey, a.attnum) as position
    from pg_constraint k
    join pg_class t on t.oid = k.conrelid
    join pg_namespace n on n.oid = t.relnamespace
    join pg_attribute a on a.attrelid = t.oid and a.attnum = any(k.conkey)
    where k.contype = 'p' and n.nspname = current_schema()`.execute(db)
  const references = await sql<ReferenceRow>`
    select t.relname as table_name, r.relname as referenced
    from pg_constraint k
    join pg_class t on t.oid = k.conrelid
    join pg_class r on r.oid = k.confrelid
    join pg_namespace n on n.oid = t.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()`.execute(db)
  return assemble(tables.rows, keys.rows, references.rows)
}

async function mysqlShape(db: Kysely<Database>): Promise<Map<string, TableShape>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = database() and table_type = 'BASE TABLE'`.execute(db)
  const keys = await sql<KeyRow>`
    select table_name as table_name, column_name as column_name, ordinal_position as position
    from information_schema.key_column_usage
    where table_schema = database() and constraint_name = 'PRIMARY'`.execute(db)
  const references = await sql<ReferenceRow>`
    select table_name as table_name, referenced_table_name as referenced
    from information_schema.key_column_usage
    where table_schema = database() and referenced_table_name is not null`.execute(db)
  return assemble(tables.rows, keys.rows, references.rows)
}

function assemble(
  tables: readonly { name: string }[],
  keys: readonly KeyRow[],
  references: readonly ReferenceRow[],
): Map<string, TableShape> {
  const shapes = new Map<string, TableShape>()
  for (const { name } of tables) {
    shapes.set(name, {
      name,
      primaryKey: keys
        .filter((k) => k.table_name === name)
        .sort((a, b) => Number(a.position) - Number(b.position))
        .map((k) => k.column_name),
      references: [
        ...new Set(references.filter((r) => r.table_name === name).map((r) => r.referenced)),
      ],
    })
  }
  return shapes
}

/** The application's tables, referenced tables before the tables referencing them. */
export async function readTableShapes(db: Kysely<Database>, kind: SqlKind): Promise<TableShape[]> {
  const shapes =
    kind === 'sqlite'
      ? await sqliteShape(db)
      : kind === 'postgres'
        ? await postgresShape(db)
        : await mysqlShape(db)
  for (const name of SKIPPED) shapes.delete(name)
  const ordered: TableShape[] = []
  const placed = new Set<string>()
  const visiting = new Set<string>()
  const place = (shape: TableShape): void => {
    if (placed.has(shape.name)) return
    if (visiting.has(shape.name)) throw new Error(`foreign keys form a cycle through ${shape.name}`)
    visiting.add(shape.name)
    for (const referenced of shape.references) {
      const target = shapes.get(referenced)
      if (target !== undefined && referenced !== shape.name) place(target)
    }
    visiting.delete(shape.name)
    placed.add(shape.name)
    ordered.push(shape)
  }
  for (const shape of [...shapes.values()].sort((a, b) => a.name.localeCompare(b.name)))
    place(shape)
  for (const shape of ordered) {
    if (shape.primaryKey.length === 0) throw new Error(`table ${shape.name} has no primary key`)
  }
  return ordered
}
