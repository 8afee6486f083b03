// A small closed-loop load for the fault tests: a few workers, each sending its next request as
// soon as the last one answered, every answer recorded (status, problem code, Retry-After, time).
// A request that does not answer within its bound is recorded as an error, never waited on.
import { randomBytes } from 'node:crypto'
import { PASSWORD } from '../helpers/server-process.ts'

export interface Sample {
  readonly kind: string
  /** The HTTP status, or 0 when the request failed (connection refused or reset, timed out). */
  readonly status: number
  readonly ms: number
  readonly at: number
  readonly code: string | null
  readonly retryAfter: string | null
  readonly contentType: string | null
  /** For registrations: the address, so an acknowledged one can be looked for afterwards. */
  readonly email: string | null
  readonly error: string | null
}

export const REQUEST_BOUND_MS = 15_000

export async function timedRequest(
  kind: string,
  url: string,
  init: { method: string; body?: unknown; token?: string; email?: string },
): Promise<Sample> {
  const started = Date.now()
  const headers: Record<string, string> = {}
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.token !== undefined) headers['authorization'] = `Bearer ${init.token}`
  const base = { kind, at: started, email: init.email ?? null }
  try {
    const response = await fetch(url, {
      method: init.method,
      headers,
      signal: AbortSignal.timeout(REQUEST_BOUND_MS),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
    const text = await response.text()
    let code: string | null = null
    try {
      const parsed: unknown = JSON.parse(text)
      const value: unknown =
        typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'code') : null
      code = typeof value === 'string' ? value : null
    } catch {
      code = null // not JSON: the assertions on content type report it
    }
    return {
      ...base,
      status: response.status,
      ms: Date.now() - started,
      code,
      retryAfter: response.headers.get('retry-after'),
      contentType: response.headers.get('content-type'),
      error: null,
    }
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return {
      ...base,
      status: 0,
      ms: Date.now() - started,
      code: null,
      retryAfter: null,
      contentType: null,
      error: message,
    }
  }
}

export interface Load {
  stop(): Promise<Sample[]>
}

/** `workers` loops of `step` until stopped. */
export function startLoad(workers: number, step: (worker: number) => Promise<Sample>): Load {
  const samples: Sample[] = []
  let running = true
  const loops = Array.from({ length: workers }, async (_, worker) => {
    while (running) {
      samples.push(await step(worker))
      // A refused request answers in microseconds: do not spin the CPU the server needs.
      if (samples.at(-1)?.status !== 200 && samples.at(-1)?.status !== 201) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  })
  return {
    async stop() {
      running = false
      await Promise.all(loops)
      return samples
    },
  }
}

export function registration(base: string): Promise<Sample> {
  const email = `load-${randomBytes(6).toString('hex')}@example.com`
  return timedRequest('register', `${base}/auth/register`, {
    method: 'POST',
    body: { email, password: PASSWORD },
    email,
  })
}

export function me(base: string, token: string): Promise<Sample> {
  return timedRequest('me', `${base}/auth/me`, { method: 'GET', token })
}
