// The bounded queue in front of the hash threads (src/crypto/admission-queue.ts): how many tasks
// run, which wait, which are refused, and that a waiting task whose caller has gone away is
// dropped without ever being started. Tasks here are promises the test settles by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AbandonedTaskError,
  AdmissionQueue,
  QueueFullError,
} from '../../src/crypto/admission-queue.ts'

/** A `start` whose tasks finish only when the test says so, recording which ones started. */
function handStarted(): {
  start: (task: string) => Promise<string>
  started: string[]
  finish: (task: string) => void
} {
  const started: string[] = []
  const finishers = new Map<string, () => void>()
  return {
    started,
    start(task) {
      started.push(task)
      return new Promise<string>((resolve) => finishers.set(task, () => resolve(`${task} done`)))
    },
    finish(task) {
      const finisher = finishers.get(task)
      if (finisher === undefined) throw new Error(`${task} never started`)
      finisher()
    },
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('AdmissionQueue', () => {
  it('runs `slots` tasks, queues `maxWaiting` in order and refuses the next at once', async () => {
    const tasks = handStarted()
    const queue = new AdmissionQueue(2, 2, tasks.start)
    const a = queue.run('a')
    const b = queue.run('b')
    const c = queue.run('c')
    assert.equal(queue.full, false)
    const d = queue.run('d')
    assert.equal(queue.full, true)
    await assert.rejects(queue.run('e'), QueueFullError)
    assert.deepEqual(tasks.started, ['a', 'b'])
    assert.equal(queue.waiting, 2)

    tasks.finish('b')
    assert.equal(await b, 'b done')
    await tick()
    assert.deepEqual(tasks.started, ['a', 'b', 'c'], 'the first waiting task takes the slot')
    for (const name of ['a', 'c']) tasks.finish(name)
    await tick()
    tasks.finish('d')
    assert.deepEqual(await Promise.all([a, c, d]), ['a done', 'c done', 'd done'])
    assert.equal(queue.waiting, 0)
  })

  it('drops a waiting task whose signal aborts: never started, its place freed', async () => {
    const tasks = handStarted()
    const queue = new AdmissionQueue(1, 1, tasks.start)
    const running = queue.run('running')
    const gone = new AbortController()
    const abandoned = queue.run('abandoned', gone.signal)
    await assert.rejects(queue.run('refused'), QueueFullError)

    gone.abort()
    await assert.rejects(abandoned, AbandonedTaskError)
    assert.equal(queue.waiting, 0)
    const next = queue.run('next') // would have been refused had the abandoned one stayed
    tasks.finish('running')
    await running
    await tick()
    tasks.finish('next')
    assert.equal(await next, 'next done')
    assert.deepEqual(tasks.started, ['running', 'next'], 'the abandoned task never started')
  })

  it('lets a started task finish whatever its signal does, and refuses an aborted signal', async () => {
    const tasks = handStarted()
    const queue = new AdmissionQueue(1, 4, tasks.start)
    const caller = new AbortController()
    const running = queue.run('running', caller.signal)
    caller.abort()
    tasks.finish('running')
    assert.equal(await running, 'running done')

    await assert.rejects(queue.run('late', caller.signal), AbandonedTaskError)
    assert.deepEqual(tasks.started, ['running'])
  })

  it('rejectWaiting refuses every waiting task and leaves the running one alone', async () => {
    const tasks = handStarted()
    const queue = new AdmissionQueue(1, 4, tasks.start)
    const running = queue.run('running')
    const waiting = [queue.run('w1'), queue.run('w2', new AbortController().signal)]
    const closing = new Error('closing')
    queue.rejectWaiting(closing)
    for (const promise of waiting) await assert.rejects(promise, (error) => error === closing)
    tasks.finish('running')
    assert.equal(await running, 'running done')
    assert.deepEqual(tasks.started, ['running'])
  })

  it('frees the slot of a task whose start throws', async () => {
    let calls = 0
    const queue = new AdmissionQueue<string, string>(1, 1, (task) => {
      calls += 1
      if (task === 'bad') throw new Error('cannot start')
      return Promise.resolve(`${task} done`)
    })
    await assert.rejects(queue.run('bad'), /cannot start/)
    assert.equal(await queue.run('good'), 'good done')
    assert.equal(calls, 2)
  })
})
