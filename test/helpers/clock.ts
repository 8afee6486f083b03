import type { Clock } from '../../src/core/ports.ts'

/**
 * A clock a test can set and move (design.md: inject time, don't freeze the world). Pass it as
 * `buildServer(config, { clock })` or `makeTestServer(env, { clock })`.
 */
export class SettableClock implements Clock {
  #now: number

  constructor(start: Date = new Date('2030-01-01T00:00:00Z')) {
    this.#now = start.getTime()
  }

  now(): Date {
    return new Date(this.#now)
  }

  set(at: Date): void {
    this.#now = at.getTime()
  }

  advance(seconds: number): void {
    this.#now += seconds * 1000
  }
}
