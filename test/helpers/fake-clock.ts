import type { Clock } from '../../src/core/ports.ts'

/** Time that moves only when a test says so (design.md: inject time, don't freeze the world). */
export class FakeClock implements Clock {
  #now: number

  constructor(start: Date) {
    this.#now = start.getTime()
  }

  now(): Date {
    return new Date(this.#now)
  }

  advance(seconds: number): void {
    this.#now += seconds * 1000
  }
}
