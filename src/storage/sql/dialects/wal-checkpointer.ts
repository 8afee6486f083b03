import { closeSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type {
  CheckpointResult,
  CheckpointThreadData,
  CheckpointThreadMessage,
} from './wal-checkpoint-thread.js'
import { parseWalProgress, WAL_PROGRESS_BYTES } from './wal-progress.js'

/** SQLite's own autocheckpoint threshold, which the checkpointer takes over. */
export const CHECKPOINT_FRAMES = 1000
/**
 * What the server's connection keeps as its autocheckpoint while the checkpointer runs: a safety
 * net for a WAL that other processes keep growing, or a checkpointer that has stopped. Ten times
 * SQLite's default, about 40 MB of WAL.
 */
export const SAFETY_NET_FRAMES = 10 * CHECKPOINT_FRAMES

function startThread(workerData: CheckpointThreadData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./wal-checkpoint-thread.js', import.meta.url), { workerData })
  // Under tsx (tests, development) the thread is a .ts file too, and a worker's entry module does
  // not go through the loader that --import registered: register tsx in the thread first.
  // Both resolved here: the thread's own code would resolve them from the working directory.
  const thread = new URL('./wal-checkpoint-thread.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  const script = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(thread)}))`
  return new Worker(script, { eval: true, workerData })
}

/**
 * Runs SQLite's WAL checkpoints in a worker thread with its own connection.
 *
 * SQLite checkpoints in the connection that commits: once the WAL passes 1,000 frames, that
 * COMMIT also copies the WAL into the database file and fsyncs both, on the event loop, and the
 * next one restarts the WAL and fsyncs its new header. Under the bench's refresh load that was one
 * commit in 72 taking 2.7-2.9 ms, 11.6% of the time with the loop blocked.
 *
 * Here the driver asks `due()` after its commits; when 1,000 frames wait, it holds its connection
 * (queries wait without blocking the loop) while this thread runs a PASSIVE checkpoint, so that
 * no commit lands meanwhile and the checkpoint reaches the end of the WAL. The next commit then
 * restarts the WAL from its beginning; SQLite fsyncs the new header there, on the loop, which is
 * the one fsync of the three that stays (it must reach the disk before any new frame does).
 */
export class WalCheckpointer {
  readonly #file: string
  readonly #shmBytes = Buffer.alloc(WAL_PROGRESS_BYTES)
  #shm: number | null = null
  #worker: Worker | null = null
  /** False once the thread has failed or been told to stop: nothing more is handed to it. */
  #running = false
  #exited: Promise<void> | null = null
  #pending: ((result: CheckpointResult | Error) => void) | null = null
  #checkpoints = 0
  #lastResult: CheckpointResult | null = null

  constructor(databaseFile: string) {
    // Absolute now, as SQLite resolved it: a relative path read after a chdir could name
    // another database's file.
    this.#file = resolve(databaseFile)
  }

  /** Checkpoints run so far, and what SQLite reported for the last one (for tests). */
  get checkpoints(): number {
    return this.#checkpoints
  }

  get lastResult(): CheckpointResult | null {
    return this.#lastResult
  }

  /** Starts the thread; `onStopped` runs if it fails, so that the caller can take over again. */
  start(onStopped: (error: unknown) => void): void {
    const worker = startThread({ file: this.#file })
    worker.unref() // never what keeps a process alive (the CLI, a test)
    worker.on('message', (result: CheckpointResult) => this.#settle(result))
    worker.on('error', (error) => {
      this.#running = false
      this.#settle(error)
      onStopped(error)
    })
    this.#exited = new Promise((resolveExit) =>
      worker.once('exit', () => {
        this.#settle(new Error('the checkpoint thread has stopped'))
        resolveExit()
      }),
    )
    this.#worker = worker
    this.#running = true
  }

  /**
   * Whether a checkpoint is worth running: `minFrames` frames not yet copied back, read from the
   * `-shm` file (one `pread`, no lock, wal-progress.ts). False while one runs, or when unsure.
   */
  due(minFrames = CHECKPOINT_FRAMES): boolean {
    if (!this.#running || this.#pending !== null) return false
    try {
      this.#shm ??= openSync(`${this.#file}-shm`, 'r')
      if (readSync(this.#shm, this.#shmBytes, 0, WAL_PROGRESS_BYTES, 0) !== WAL_PROGRESS_BYTES)
        return false
    } catch {
      return false // no -shm yet
    }
    const progress = parseWalProgress(this.#shmBytes)
    return progress !== null && progress.frames - progress.backfilled >= minFrames
  }

  /** Runs one PASSIVE checkpoint in the thread and answers what SQLite reported. */
  run(): Promise<CheckpointResult> {
    const worker = this.#worker
    if (worker === null || !this.#running)
      return Promise.reject(new Error('the checkpoint thread is not running'))
    if (this.#pending !== null) return Promise.reject(new Error('a checkpoint is running'))
    // Referenced while a checkpoint runs: a caller awaiting it keeps the process alive.
    worker.ref()
    return new Promise((resolveRun, rejectRun) => {
      this.#pending = (result) => {
        if (this.#running) worker.unref() // a closing checkpointer stays referenced until exit
        if (result instanceof Error) rejectRun(result)
        else resolveRun(result)
      }
      worker.postMessage('checkpoint' satisfies CheckpointThreadMessage)
    })
  }

  /** Stops the thread once a checkpoint in progress has ended, and closes both descriptors. */
  async close(): Promise<void> {
    this.#worker?.ref() // until it has exited, which `close()` awaits
    if (this.#running) this.#worker?.postMessage('stop' satisfies CheckpointThreadMessage)
    this.#running = false
    await this.#exited
    if (this.#shm !== null) closeSync(this.#shm)
    this.#shm = null
  }

  #settle(result: CheckpointResult | Error): void {
    const pending = this.#pending
    this.#pending = null
    if (!(result instanceof Error)) {
      this.#checkpoints++
      this.#lastResult = result
    }
    pending?.(result)
  }
}
