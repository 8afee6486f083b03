// SQLite's WAL checkpoints run in a worker thread with its own connection (wal-checkpointer.ts),
// not in the connection that commits, which is on the event loop.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql, type Kysely } from 'kysely'
import { Database } from '../../src/storage/sql/dialects/sqlite-driver.ts'
import {
  CHECKPOINT_FRAMES,
  SAFETY_NET_FRAMES,
  WalCheckpointer,
} from '../../src/storage/sql/dialects/wal-checkpointer.ts'
import {
  parseWalProgress,
  WAL_PROGRESS_BYTES,
  type WalProgress,
} from '../../src/storage/sql/dialects/wal-progress.ts'
import { WalSync } from '../../src/storage/sql/dialects/wal-sync.ts'
import { openDurableSqlite } from '../helpers/durable-sqlite.ts'

interface Notes {
  notes: { id: number; note: string }
}

function openWithCheckpointer(file: string, checkpointer: WalCheckpointer): Kysely<Notes> {
  return openDurableSqlite<Notes>(file, { walSync: new WalSync(file), checkpointer })
}

function progressOf(file: string): WalProgress | null {
  return parseWalProgress(readFileSync(`${file}-shm`).subarray(0, WAL_PROGRESS_BYTES))
}

async function autocheckpoint(db: Kysely<Notes>): Promise<number> {
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)
  return rows[0]?.wal_autocheckpoint ?? -1
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) assert.fail(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

// A note of ~3 KB fills most of a 4 KiB page: one transaction of `rows` notes adds ~`rows` frames.
const PAGE_OF_TEXT = 'x'.repeat(3_000)

async function writeFrames(db: Kysely<Notes>, firstId: number, rows: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows; i++) {
      await tx
        .insertInto('notes')
        .values({ id: firstId + i, note: PAGE_OF_TEXT })
        .execute()
    }
  })
}

describe('SQLite checkpoints off the event loop (wal-checkpointer.ts)', () => {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-checkpoint-'))
  after(() => rmSync(root, { recursive: true, force: true }))

  it('reads the WAL size and the backfill from a real -shm, and refuses bytes it cannot trust', () => {
    const file = join(root, 'progress.db')
    const raw = new Database(file)
    try {
      raw.pragma('journal_mode = WAL')
      raw.pragma('wal_autocheckpoint = 0')
      raw.exec('create table t (a text)')
      const insert = raw.prepare('insert into t values (?)')
      for (let i = 0; i < 20; i++) insert.run(PAGE_OF_TEXT)
      const grown = progressOf(file)
      assert.ok(grown !== null)
      assert.ok(grown.frames >= 20, `frames ${grown.frames}`)
      assert.equal(grown.backfilled, 0)
      const [result] = raw.pragma('wal_checkpoint(passive)') as { log: number }[]
      assert.deepEqual(progressOf(file), { frames: result?.log, backfilled: result?.log })

      const bytes = readFileSync(`${file}-shm`).subarray(0, WAL_PROGRESS_BYTES)
      assert.equal(parseWalProgress(bytes.subarray(0, 60)), null, 'too short')
      const torn = Buffer.from(bytes)
      torn[16] = (torn[16] ?? 0) ^ 0xff // the first header copy disagrees with the second
      assert.equal(parseWalProgress(torn), null, 'header copies differ')
      assert.equal(parseWalProgress(Buffer.alloc(WAL_PROGRESS_BYTES)), null, 'not initialised')
    } finally {
      raw.close()
    }
  })

  it('checkpoints in its thread, to the end of the WAL, which then restarts', async () => {
    const file = join(root, 'thread.db')
    const checkpointer = new WalCheckpointer(file)
    const db = openWithCheckpointer(file, checkpointer)
    try {
      await sql`create table notes (id integer primary key, note text not null)`.execute(db)
      // The committing connection would only checkpoint past the safety net.
      assert.equal(await autocheckpoint(db), SAFETY_NET_FRAMES)
      await writeFrames(db, 1, CHECKPOINT_FRAMES + 100)
      await until(() => checkpointer.checkpoints > 0, 'a checkpoint in the thread')
      const result = checkpointer.lastResult
      assert.ok(result !== null)
      assert.ok(result.log > CHECKPOINT_FRAMES, `log ${result.log}`)
      // The driver held its connection meanwhile: no commit landed, so the checkpoint was complete.
      assert.equal(result.checkpointed, result.log)
      assert.equal(result.busy, 0)
      // The next commit starts the WAL over from its beginning.
      await writeFrames(db, 10_000, 1)
      const restarted = progressOf(file)
      assert.ok(restarted !== null && restarted.frames < 10, `frames ${restarted?.frames}`)
      assert.equal((await db.selectFrom('notes').select('id').execute()).length, 1_101)
    } finally {
      await db.destroy()
    }
    // The thread closed its connection first, so the driver's was the last: its close
    // checkpointed the WAL and removed it.
    assert.equal(existsSync(`${file}-wal`), false)
  })

  it('puts the checkpoints back on commit, with a warning, when the thread cannot run', async () => {
    const file = join(root, 'fallback.db')
    // The thread opens a file that is not there (fileMustExist) and stops at once.
    const checkpointer = new WalCheckpointer(join(root, 'missing.db'))
    const warnings: string[] = []
    const onWarning = (warning: Error): void => {
      warnings.push(warning.message)
    }
    process.on('warning', onWarning)
    const db = openWithCheckpointer(file, checkpointer)
    try {
      await sql`create table notes (id integer primary key, note text not null)`.execute(db)
      await until(() => warnings.length > 0, 'the warning')
      assert.match(
        warnings[0] ?? '',
        /SQLite checkpoints are back on the event loop: .*(file|database)/i,
      )
      assert.equal(await autocheckpoint(db), CHECKPOINT_FRAMES)
      assert.equal(checkpointer.due(), false, 'nothing is handed to a stopped thread')
      await assert.rejects(checkpointer.run(), /not running/)
    } finally {
      process.off('warning', onWarning)
      await db.destroy()
    }
  })
})
