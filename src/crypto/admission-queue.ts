// The bounded queue in front of the password-hash threads. It exists for one thing piscina's own
// queue cannot do: drop a task whose caller has gone away before it started. Piscina's abort
// signal also kills the thread of a task that is already running, so it is never given one.

/** The queue was full: the caller is refused at once instead of waiting behind it. */
export class QueueFullError extends Error {
  constructor() {
    super('the password-hash queue is full')
    this.name = 'QueueFullError'
  }
}

/** The caller's signal fired before its task started: the task was dropped, never run. */
export class AbandonedTaskError extends Error {
  constructor() {
    super('the caller went away before its task started')
    this.name = 'AbandonedTaskError'
  }
}

interface Waiting<T, R> {
  readonly task: T
  readonly resolve: (result: R) => void
  readonly reject: (error: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
}

/**
 * Runs at most `slots` tasks at once through `start`; up to `maxWaiting` more wait in arrival
 * order, and past that `run` rejects with QueueFullError. A waiting task whose signal aborts
 * leaves the queue at once (AbandonedTaskError) and frees its place; a started task always runs
 * to its end, whatever its signal does.
 */
export class AdmissionQueue<T, R> {
  readonly #slots: number
  readonly #maxWaiting: number
  readonly #start: (task: T) => Promise<R>
  // An array: shift() and the splice of an abandoned task are O(n), and n ≤ maxWaiting (a few
  // hundred at most), against a task that runs for tens of milliseconds.
  readonly #waiting: Waiting<T, R>[] = []
  #running = 0

  constructor(slots: number, maxWaiting: number, start: (task: T) => Promise<R>) {
    this.#slots = Math.max(1, slots)
    this.#maxWaiting = Math.max(0, maxWaiting)
    this.#start = start
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length
  }

  /** Would `run` refuse the next task? */
  get full(): boolean {
    return this.#running >= this.#slots && this.#waiting.length >= this.#maxWaiting
  }

  run(task: T, signal?: AbortSignal): Promise<R> {
    if (signal?.aborted === true) return Promise.reject(new AbandonedTaskError())
    if (this.#running < this.#slots) return this.#launch(task)
    if (this.#waiting.length >= this.#maxWaiting) return Promise.reject(new QueueFullError())
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(entry)
        if (index >= 0) this.#waiting.splice(index, 1)
        reject(new AbandonedTaskError())
      }
      const entry: Waiting<T, R> = { task, resolve, reject, signal, onAbort }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(entry)
    })
  }

  /** Refuses every waiting task with `error` (shutdown); the running ones finish or fail alone. */
  rejectWaiting(error: unknown): void {
    for (const entry of this.#waiting.splice(0)) {
      entry.signal?.removeEventListener('abort', entry.onAbort)
      entry.reject(error)
    }
  }

  #launch(task: T): Promise<R> {
    this.#running += 1
    let started: Promise<R>
    try {
      started = this.#start(task)
    } catch (error) {
      started = Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    return started.finally(() => {
      this.#running -= 1
      this.#next()
    })
  }

  #next(): void {
    const entry = this.#waiting.shift()
    if (entry === undefined) return
    entry.signal?.removeEventListener('abort', entry.onAbort)
    this.#launch(entry.task).then(entry.resolve, entry.reject)
  }
}
