// The login ceiling: raw argon2id hashes per second on all cores with the server's parameters
// (m=19456 KiB, t=2, p=1), one worker thread per core, no HTTP, no database. A login costs one
// argon2id verify, which is the same work as one hash.
// Usage: node --import tsx bench/argon2-ceiling.ts SECONDS  → prints one JSON line
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { hashSync } from '@node-rs/argon2'
import { ARGON2_PARAMS } from '../src/crypto/password-hash.ts'

const ARGON2ID = 2 // @node-rs/argon2's Algorithm.Argon2id (a const enum)

// Plain JS: worker threads do not inherit the tsx loader.
const THREAD = new URL('./lib/argon2-thread.mjs', import.meta.url)

{
  const seconds = Number(process.argv[2] ?? '10')
  const threads = Number(process.env['THREADS'] ?? availableParallelism())
  const until = Date.now() + seconds * 1000
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(THREAD, { workerData: { until, params: ARGON2_PARAMS } })
          worker.once('message', (count: number) => resolve(count))
          worker.once('error', reject)
        }),
    ),
  )
  const total = counts.reduce((a, b) => a + b, 0)
  const started = Date.now()
  // One hash alone, for the per-hash time.
  hashSync('correct horse battery staple', { algorithm: ARGON2ID, ...ARGON2_PARAMS })
  const oneMs = Date.now() - started
  console.log(
    JSON.stringify({ threads, seconds, hashes: total, perSecond: total / seconds, oneMs }),
  )
}
