import { endianness } from 'node:os'

/**
 * The start of SQLite's `-shm` file (https://sqlite.org/walformat.html, "The WAL-Index Header"):
 * two copies of the 48-byte WalIndexHdr, then the checkpoint information, whose first field is
 * `nBackfill`. All of it in the host's byte order.
 */
export const WAL_PROGRESS_BYTES = 100
/** One copy of the WAL-index header (SQLite's WalIndexHdr). */
export const WAL_INDEX_HEADER_BYTES = 48
const WAL_INDEX_VERSION = 3007000 // iVersion, unchanged since WAL mode appeared in 3.7.0
const MX_FRAME_OFFSET = 16
const IS_INIT_OFFSET = 12
const N_BACKFILL_OFFSET = 96

export interface WalProgress {
  /** Frames in the WAL: the last valid frame's index. */
  readonly frames: number
  /** Frames already copied into the database file by a checkpoint. */
  readonly backfilled: number
}

/**
 * Reads how far the WAL has grown and how much of it is checkpointed, from the first
 * `WAL_PROGRESS_BYTES` of the `-shm` file, read without a lock. Null when the bytes do not look
 * like an initialised WAL index, or the two header copies differ (one is being rewritten): the
 * caller then simply looks again later.
 */
export function parseWalProgress(bytes: Buffer): WalProgress | null {
  if (bytes.length < WAL_PROGRESS_BYTES) return null
  const u32 = (offset: number): number =>
    endianness() === 'LE' ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset)
  if (u32(0) !== WAL_INDEX_VERSION || bytes[IS_INIT_OFFSET] !== 1) return null
  const first = bytes.subarray(0, WAL_INDEX_HEADER_BYTES)
  const second = bytes.subarray(WAL_INDEX_HEADER_BYTES, 2 * WAL_INDEX_HEADER_BYTES)
  if (!first.equals(second)) return null
  return { frames: u32(MX_FRAME_OFFSET), backfilled: u32(N_BACKFILL_OFFSET) }
}
