// Runs in the worker thread that `WalCheckpointer` starts: SQLite's checkpoint, which copies the
// WAL back into the database file and fsyncs both, on a connection of its own so that the event
// loop never waits for it (wal-checkpointer.ts says when and why).
import { parentPort, workerData } from 'node:worker_threads'
import { Database, type BetterSqlite3 } from './sqlite-driver.js'

export interface CheckpointThreadData {
  readonly file: string
}

/** What `pragma wal_checkpoint` answers: busy flag, frames in the WAL, frames copied back. */
export interface CheckpointResult {
  readonly busy: number
  readonly log: number
  readonly checkpointed: number
}

export type CheckpointThreadMessage = 'checkpoint' | 'stop'

const { file } = workerData as CheckpointThreadData
const port = parentPort
if (port === null) throw new Error('wal-checkpoint-thread runs as a worker thread')

/** A SqliteError reaches the main thread as `{ code }` alone: rethrow it as a plain Error. */
function plainError(error: unknown): Error {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : ''
  const message = error instanceof Error ? error.message : String(error)
  return new Error(typeof code === 'string' && code !== '' ? `${message} (${code})` : message)
}

function openDatabase(): BetterSqlite3.Database {
  try {
    // No busy timeout: a PASSIVE checkpoint never waits for anyone. `synchronous = NORMAL` makes
    // it fsync the WAL before copying it and the database after, as the server's connection would.
    const opened = new Database(file, { fileMustExist: true, timeout: 0 })
    opened.pragma('synchronous = NORMAL')
    return opened
  } catch (error) {
    throw plainError(error)
  }
}

const db = openDatabase()
const checkpoint = db.prepare('pragma wal_checkpoint(passive)')

port.on('message', (message: CheckpointThreadMessage) => {
  if (message === 'checkpoint') {
    let result: CheckpointResult | undefined
    try {
      ;[result] = checkpoint.all() as CheckpointResult[] // the pragma's one row
    } catch (error) {
      throw plainError(error) // ends the thread: the driver goes back to checkpoints on commit
    }
    port.postMessage(result)
    return
  }
  db.close()
  port.close()
})
