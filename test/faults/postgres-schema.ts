// A PostgreSQL schema of its own for a fault test. Unlike sql-test-stores.ts it keeps no
// connection open in between: one held across a PostgreSQL restart would die with an 'error'
// event and take the test process with it.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { postgresUrl } from '../helpers/services.ts'

async function run(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

export async function createPostgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `latchkey_fault_${randomBytes(6).toString('hex')}`
  await run(`create schema ${name}`)
  const url = new URL(postgresUrl())
  url.searchParams.set('options', `-c search_path=${name}`)
  return { url: url.toString(), drop: () => run(`drop schema ${name} cascade`) }
}
