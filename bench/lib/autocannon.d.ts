// The slice of autocannon's programmatic API the bench uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export type Context = Record<string, unknown>

  export interface RequestSpec {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    idReplacement?: boolean
    setupRequest?: (request: RequestSpec, context: Context) => RequestSpec
    onResponse?: (
      status: number,
      body: string,
      context: Context,
      headers: Record<string, string | string[]>,
    ) => void
  }

  export interface Options {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    pipelining?: number
    requests?: RequestSpec[]
    method?: string
    headers?: Record<string, string>
    body?: string
    idReplacement?: boolean
    initialContext?: Context
    expectBody?: string
  }

  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p90: number
    p97_5: number
    p99: number
  }

  export interface Result {
    requests: Histogram
    latency: Histogram
    throughput: Histogram
    errors: number
    timeouts: number
    non2xx: number
    duration: number
    statusCodeStats: Record<string, { count: number }>
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void
  }

  export default function autocannon(options: Options): Instance
}
