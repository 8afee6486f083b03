// The SQLite driver's promise: a write is acknowledged (its promise resolves) only after an fsync
// of the WAL that began after its commit, concurrent commits share fsyncs, reads and rollbacks
// cost none, and the connection is free for others while a writer waits for the disk.
import assert from 'node:assert/strict'
import { fsync as realFsync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql, type Kysely } from 'kysely'
import { WalSync, type Fsync } from '../../src/storage/sql/dialects/wal-sync.ts'
import { openDurableSqlite } from '../helpers/durable-sqlite.ts'

interface Row {
  id: number
  note: string
}

/** An fsync that really syncs, but once `hold()` is called only when the test lets it finish. */
function heldFsync(): {
  fsync: Fsync
  hold: () => void
  count: () => number
  releaseAll: () => void
} {
  let count = 0
  let holding = false
  let waiting: (() => void)[] = []
  return {
    fsync(fd, callback) {
      count += 1
      if (holding) waiting.push(() => realFsync(fd, callback))
      else realFsync(fd, callback)
    },
    hold: () => {
      holding = true
    },
    count: () => count,
    releaseAll() {
      const now = waiting
      waiting = []
      for (const release of now) release()
    },
  }
}

async function open(file: string, fsync: Fsync): Promise<Kysely<{ notes: Row }>> {
  const db = openDurableSqlite<{ notes: Row }>(file, {
    walSync: new WalSync(file, fsync),
    checkpointer: null,
  })
  await sql`create table notes (id integer primary key, note text not null)`.execute(db)
  return db
}

/** Settles pending callbacks (the fsync in the thread pool included). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))

describe('SQLite group commit (wal-sync.ts)', () => {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'))
  after(() => rmSync(root, { recursive: true, force: true }))

  it('acknowledges a write only after an fsync, and lets readers through meanwhile', async () => {
    const held = heldFsync()
    const db = await open(join(root, 'ack.db'), held.fsync)
    try {
      held.hold()
      const before = held.count()
      let acknowledged = false
      const write = db
        .insertInto('notes')
        .values({ id: 1, note: 'a' })
        .execute()
        .then(() => {
          acknowledged = true
        })
      await settle()
      assert.equal(held.count(), before + 1, 'the commit asked for one fsync')
      assert.equal(acknowledged, false, 'no acknowledgement before the fsync finished')
      // The connection was handed on: a read runs while the writer waits for the disk.
      const rows = await db.selectFrom('notes').selectAll().execute()
      assert.deepEqual(rows, [{ id: 1, note: 'a' }])
      assert.equal(held.count(), before + 1, 'a read costs no fsync')
      held.releaseAll()
      await write
      assert.equal(acknowledged, true)
    } finally {
      held.releaseAll()
      await db.destroy()
    }
  })

  it('shares fsyncs between concurrent commits, one per transaction, none for a rollback', async () => {
    const held = heldFsync()
    const db = await open(join(root, 'group.db'), held.fsync)
    try {
      held.hold()
      const start = held.count()
      // 50 writers while the first fsync is held: the first commit's fsync, then one more that
      // covers every commit made after it began.
      const writes = Array.from({ length: 50 }, (_, i) =>
        db
          .insertInto('notes')
          .values({ id: i + 1, note: `n${i}` })
          .execute(),
      )
      await settle()
      held.releaseAll()
      await settle()
      held.releaseAll()
      await Promise.all(writes)
      assert.equal(held.count() - start, 2)

      const beforeTx = held.count()
      const tx = db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ id: 100, note: 'x' }).execute()
        await trx.updateTable('notes').set({ note: 'y' }).where('id', '=', 100).execute()
        await trx.deleteFrom('notes').where('id', '=', 1).execute()
      })
      await settle()
      held.releaseAll()
      await tx
      assert.equal(held.count() - beforeTx, 1, 'one fsync for a whole transaction')

      const beforeRollback = held.count()
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('notes').values({ id: 200, note: 'z' }).execute()
          throw new Error('changed my mind')
        }),
        /changed my mind/,
      )
      assert.equal(held.count(), beforeRollback, 'a rollback leaves nothing to sync')
      const count = await db
        .selectFrom('notes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      assert.equal(Number(count.n), 50) // 50 inserted, 1 added, 1 deleted, the rollback undone
    } finally {
      held.releaseAll()
      await db.destroy()
    }
  })

  it('fails the write when the fsync fails, rather than acknowledging it', async () => {
    let fail = false
    const db = await open(join(root, 'eio.db'), (fd, callback) => {
      if (fail) {
        const error: NodeJS.ErrnoException = new Error('EIO: i/o error, fsync')
        error.code = 'EIO'
        callback(error)
      } else realFsync(fd, callback)
    })
    try {
      fail = true
      await assert.rejects(db.insertInto('notes').values({ id: 1, note: 'a' }).execute(), /EIO/)
      fail = false
      await db.insertInto('notes').values({ id: 2, note: 'b' }).execute()
    } finally {
      await db.destroy()
    }
  })
})
