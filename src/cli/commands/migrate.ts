import type { Config } from '../../config/config.js'
import { runMigrations, type MigrationDirection } from '../../storage/sql/open-store.js'
import type { Output } from '../output.js'
import { UsageError } from '../usage.js'

const DIRECTIONS: readonly MigrationDirection[] = ['up', 'down', 'status']

export function parseDirection(word: string | undefined): MigrationDirection {
  if (word === undefined) return 'up'
  const direction = DIRECTIONS.find((d) => d === word)
  if (direction === undefined)
    throw new UsageError(`migrate: expected up, down or status, got "${word}"`)
  return direction
}

/** `latchkey migrate [up|down|status]`: one line per migration, then a summary. */
export async function runMigrate(
  config: Config,
  direction: MigrationDirection,
  output: Output,
): Promise<number> {
  const states = await runMigrations(config.databaseUrl, direction)
  for (const state of states) {
    const note = state.changed
      ? direction === 'down'
        ? '  (reverted now)'
        : '  (applied now)'
      : ''
    output.out(`${state.executed ? 'applied' : 'pending'}  ${state.name}${note}`)
  }
  const pending = states.filter((s) => !s.executed).length
  output.out(pending === 0 ? 'schema is up to date' : `${pending} migration(s) pending`)
  return 0
}
