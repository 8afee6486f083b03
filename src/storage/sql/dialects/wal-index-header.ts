import { closeSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import { WAL_INDEX_HEADER_BYTES } from './wal-progress.js'

/**
 * Tells, with one `pread` and no lock, whether any connection may have committed since the last
 * look. `PRAGMA data_version` answers the exact question, but it opens and closes a read
 * transaction (four `fcntl` locks) on every session check: under load that cost more server CPU
 * than the rest of our part of a warm `/auth/me` (decision 008 has the measurements).
 *
 * In WAL mode SQLite rewrites the WAL-index header at the start of the `-shm` file on every
 * commit, from any connection or process (its `iChange` counter, `mxFrame` and the running frame
 * checksum all move), and on every WAL restart (new salts); reads leave it alone. So a header
 * equal byte for byte to the previous look means nothing was committed in between, and the
 * pragma's answer cannot have changed. Any other outcome (a different header, a torn read of one
 * being written, no `-shm` yet, a read error) answers "changed", and the caller asks the pragma.
 *
 * The header is read before the pragma runs, so a commit landing between the two is seen on the
 * next look. The `-shm` file is only deleted by the last connection to close, and the server's
 * own connection stays open while this is used, so the descriptor always names the live file.
 */
export class WalIndexHeader {
  readonly #path: string
  readonly #seen = Buffer.alloc(WAL_INDEX_HEADER_BYTES)
  readonly #current = Buffer.alloc(WAL_INDEX_HEADER_BYTES)
  #fd: number | null = null
  #seenValid = false

  constructor(databaseFile: string) {
    // Absolute now, as SQLite resolves it when the database opens: the -shm file is opened on the
    // first look, and a relative path read after a chdir could name another database's file,
    // whose header would never change.
    this.#path = `${resolve(databaseFile)}-shm`
  }

  /** False only when the header is exactly what the previous call saw. */
  changedSinceLastLook(): boolean {
    const read = this.#read()
    if (read && this.#seenValid && this.#current.equals(this.#seen)) return false
    this.#current.copy(this.#seen)
    this.#seenValid = read
    return true
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd)
    this.#fd = null
    this.#seenValid = false
  }

  #read(): boolean {
    try {
      this.#fd ??= openSync(this.#path, 'r')
      return (
        readSync(this.#fd, this.#current, 0, WAL_INDEX_HEADER_BYTES, 0) === WAL_INDEX_HEADER_BYTES
      )
    } catch {
      // No -shm yet (WAL not started) or an I/O error: say "changed" and try again next time.
      this.close()
      return false
    }
  }
}
