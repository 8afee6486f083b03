// A Kysely over the server's own SQLite driver (DurableSqliteDriver) on a WAL file, with the
// parts a test chooses: group commit's fsync, the checkpoint thread.
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import { Database } from '../../src/storage/sql/dialects/sqlite-driver.ts'
import { DurableSqliteDriver } from '../../src/storage/sql/dialects/sqlite-kysely-driver.ts'
import type { WalCheckpointer } from '../../src/storage/sql/dialects/wal-checkpointer.ts'
import type { WalSync } from '../../src/storage/sql/dialects/wal-sync.ts'

export function openDurableSqlite<DB>(
  file: string,
  parts: { readonly walSync: WalSync; readonly checkpointer: WalCheckpointer | null },
): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () =>
        new DurableSqliteDriver({
          open: () => {
            const raw = new Database(file)
            raw.pragma('journal_mode = WAL')
            raw.pragma('synchronous = NORMAL')
            return raw
          },
          walSync: parts.walSync,
          walIndex: null,
          checkpointer: parts.checkpointer,
        }),
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  })
}
