// The requests the bench sends, and the few fetch calls that prepare accounts and sessions.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Context, RequestSpec } from 'autocannon'
import type { Load } from './load.ts'

export const PASSWORD = 'correct horse battery staple'
const JSON_HEADERS = { 'content-type': 'application/json' }

export interface Session {
  readonly email: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly cookie: string
}

export async function register(base: string, email: string): Promise<void> {
  const response = await fetch(`${base}/auth/register`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  if (response.status !== 201) throw new Error(`register ${email}: ${response.status}`)
}

export async function login(base: string, email: string): Promise<Session> {
  let response: Response
  // After an overload phase the pool is still draining its queue: honour Retry-After.
  for (let attempt = 0; ; attempt++) {
    response = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ email, password: PASSWORD }),
    })
    if (response.status !== 503 || attempt >= 30) break
    await response.arrayBuffer()
    await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000)
  }
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status}`)
  const body = (await response.json()) as { access_token: string; refresh_token: string }
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? ''
  return { email, accessToken: body.access_token, refreshToken: body.refresh_token, cookie }
}

/** Registers `count` accounts named `prefix-N@bench.test`, a few at a time. */
export async function registerMany(base: string, prefix: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@bench.test`)
  for (let i = 0; i < emails.length; i += 8) {
    await Promise.all(emails.slice(i, i + 8).map((email) => register(base, email)))
  }
  return emails
}

/** Counters shared by the onResponse callbacks of one load (closures, not per-connection). */
export interface Checks {
  wrongBody: number
  shedWithRetryAfter: number
  shedWithoutRetryAfter: number
}

export function newChecks(): Checks {
  return { wrongBody: 0, shedWithRetryAfter: 0, shedWithoutRetryAfter: 0 }
}

export function registerLoad(connections: number, runId: string): Load {
  return {
    connections,
    requests: [
      {
        method: 'POST',
        path: '/auth/register',
        headers: JSON_HEADERS,
        // autocannon replaces [<id>] with a fresh id on every request: a new account each time.
        body: JSON.stringify({ email: `r${runId}-[<id>]@bench.test`, password: PASSWORD }),
        idReplacement: true,
      },
    ],
  }
}

/** Correct-password logins, each connection on its own account (round robin over `emails`). */
export function loginLoad(connections: number, emails: readonly string[], checks: Checks): Load {
  let next = 0
  return {
    connections,
    requests: [
      {
        method: 'POST',
        path: '/auth/login',
        headers: JSON_HEADERS,
        setupRequest(request: RequestSpec, context: Context): RequestSpec {
          context['email'] ??= emails[next++ % emails.length]
          return {
            ...request,
            body: JSON.stringify({ email: context['email'], password: PASSWORD }),
          }
        },
        onResponse(status, _body, _context, headers) {
          if (status !== 503) return
          if (headers['retry-after'] === undefined) checks.shedWithoutRetryAfter++
          else checks.shedWithRetryAfter++
        },
      },
    ],
  }
}

/**
 * `path` '/auth/me?via=fastify' takes the route through Fastify's pipeline: the query string keeps
 * the warm lane (src/http/warm-me-lane.ts) out, and the route ignores it.
 */
export function meLoad(
  connections: number,
  session: Session,
  via: 'bearer' | 'cookie',
  checks: Checks,
  path = '/auth/me',
): Load {
  const headers: Record<string, string> =
    via === 'bearer'
      ? { authorization: `Bearer ${session.accessToken}` }
      : { cookie: session.cookie }
  return {
    connections,
    requests: [
      {
        method: 'GET',
        path,
        headers,
        // A 200 only counts as a session check if it names the user.
        onResponse(status, body) {
          if (status === 200 && !body.includes(session.email)) checks.wrongBody++
        },
      },
    ],
  }
}

/**
 * Refresh-token rotation: every request presents the newest token of one session ("chain"), and
 * a chain is used by one request at a time. State lives here, not in autocannon's context, which
 * autocannon resets after every request when the request list has one entry.
 */
export function refreshLoad(sessions: readonly Session[], checks: Checks): Load {
  const tokens = sessions.map((session) => session.refreshToken)
  const idle = tokens.map((_, index) => index)
  return {
    connections: sessions.length,
    requests: [
      {
        method: 'POST',
        path: '/auth/refresh',
        headers: JSON_HEADERS,
        setupRequest(request: RequestSpec, context: Context): RequestSpec {
          // A chain lost to a timed-out request is not reused; fall back to chain 0 then.
          const chain = idle.pop() ?? 0
          context['chain'] = chain
          return { ...request, body: JSON.stringify({ refresh_token: tokens[chain] }) }
        },
        onResponse(status, body, context) {
          const chain = context['chain']
          if (typeof chain !== 'number') return
          if (status === 200) {
            try {
              tokens[chain] = (JSON.parse(body) as { refresh_token: string }).refresh_token
            } catch {
              checks.wrongBody++
            }
          }
          idle.push(chain)
        },
      },
    ],
  }
}
