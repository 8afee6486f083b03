import { closeSync, fsync, fsyncSync, openSync } from 'node:fs'
import { dirname } from 'node:path'

/** `fs.fsync`'s shape; tests pass one that can be held back or counted. */
export type Fsync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void

/**
 * Group commit for SQLite in WAL mode. SQLite runs with `synchronous = NORMAL`, so a COMMIT
 * appends its frames to the WAL without an fsync and returns at once; before the write is
 * acknowledged the driver awaits `sync()`, which fsyncs the WAL file on libuv's thread pool.
 * Every commit that landed before an fsync began is covered by it, so concurrent requests share
 * one fsync, and the event loop never blocks on the disk (with `synchronous = FULL` each commit
 * blocked it for a whole fsync, 3-12 ms on this VM).
 *
 * Why this keeps FULL's promise: the frames of a commit are written to the WAL file before COMMIT
 * returns, and fsync flushes every written page of the file's inode whichever descriptor asks.
 * Checkpoints under NORMAL sync the WAL before copying it into the database and the database
 * before the WAL is reused, so nothing acknowledged depends on a page that was never synced.
 */
export class WalSync {
  readonly #walPath: string
  readonly #fsync: Fsync
  #fd: number | null = null
  #inFlight: Promise<void> | null = null
  #queued: Promise<void> | null = null
  #closed = false

  constructor(databaseFile: string, fsyncFile: Fsync = fsync) {
    this.#walPath = `${databaseFile}-wal`
    this.#fsync = fsyncFile
  }

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    if (this.#inFlight === null) return this.#start()
    // The fsync in flight may have begun before our commit: wait for the next one, which every
    // caller arriving meanwhile shares.
    this.#queued ??= this.#inFlight
      .catch(() => undefined)
      .then(() => {
        this.#queued = null
        return this.#start()
      })
    return this.#queued
  }

  /** Lets the fsyncs already asked for finish, then closes the descriptor. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#inFlight, this.#queued])
    this.#closed = true
    if (this.#fd !== null) closeSync(this.#fd)
    this.#fd = null
  }

  // The first time, the directory too: a WAL file that was just created is only durable once
  // its directory entry is.
  #openWal(): number {
    const fd = openSync(this.#walPath, 'r')
    const directory = openSync(dirname(this.#walPath), 'r')
    try {
      fsyncSync(directory)
    } finally {
      closeSync(directory)
    }
    return fd
  }

  #start(): Promise<void> {
    const running = new Promise<void>((resolve, reject) => {
      if (this.#closed) {
        resolve()
        return
      }
      // Opened on first use: the WAL file exists once a commit has been made. It is never
      // replaced while a connection is open (SQLite resets it in place), so one descriptor serves.
      this.#fd ??= this.#openWal()
      this.#fsync(this.#fd, (error) => (error ? reject(error) : resolve()))
    }).finally(() => {
      if (this.#inFlight === running) this.#inFlight = null
    })
    this.#inFlight = running
    return running
  }
}
