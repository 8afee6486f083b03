// One thread of bench/argon2-ceiling.ts: hashes until the deadline, then reports its count.
import { parentPort, workerData } from 'node:worker_threads'
import { hashSync } from '@node-rs/argon2'

const ARGON2ID = 2 // @node-rs/argon2's Algorithm.Argon2id (a const enum)
const { until, params } = workerData
let count = 0
while (Date.now() < until) {
  hashSync(`correct horse battery staple ${count}`, { algorithm: ARGON2ID, ...params })
  count++
}
parentPort.postMessage(count)
