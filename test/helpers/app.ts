// The real server (buildServer over SQLite in a temporary directory) for the HTTP tests, and the
// few request helpers every section of the contract needs. Nothing here is a mock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { loadConfig } from '../../src/config/env.ts'
import type { Auth } from '../../src/core/auth-api.ts'
import type { Clock } from '../../src/core/ports.ts'
import type { Config } from '../../src/config/config.ts'
import { buildServer, type BuiltServer, type ServerOverrides } from '../../src/server.ts'

export const PUBLIC_URL = 'http://localhost:3000'
export const SESSION_COOKIE = '__Host-latchkey_session'
export const strongPassword = 'violet-harbour-lantern-1987'

export interface TestApp {
  readonly app: FastifyInstance
  readonly auth: Auth
  close(): Promise<void>
}

/** A fresh server and database; `env` adds to or overrides the test configuration. */
export async function makeApp(
  env: Record<string, string> = {},
  overrides: { readonly clock?: Clock } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-http-'))
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'test.db')}`,
    SECRET_KEY: 'ab'.repeat(32),
    SECRET_KEY_FILE: join(dir, 'secret.key'),
    PUBLIC_URL,
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'silent',
    PASSWORD_HASH_THREADS: '2',
    PROFILE_FIELDS: 'company:string?,age:number?',
    ...env,
  })
  const built = await buildServer(config, overrides)
  return {
    app: built.app,
    auth: built.auth,
    async close() {
      await built.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface TestServer extends BuiltServer {
  readonly config: Config
  /** The temporary directory holding the database and secret file. */
  readonly dir: string
  /** Closes the server and removes the directory; safe to call twice. */
  cleanup(): Promise<void>
}

/**
 * buildServer over a fresh SQLite file in a temporary directory, with rate limits off, a fixed
 * SECRET_KEY and a silent log; `env` adds to or overrides that configuration.
 */
export async function makeTestServer(
  env: Record<string, string> = {},
  overrides: Pick<ServerOverrides, 'clock' | 'logger'> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-test-'))
  let built: BuiltServer
  let config: Config
  try {
    config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`,
      SECRET_KEY: 'ab'.repeat(32),
      SECRET_KEY_FILE: join(dir, 'latchkey.secret'),
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'silent',
      PASSWORD_HASH_THREADS: '2',
      ...env,
    })
    built = await buildServer(config, overrides)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  let closed = false
  return {
    ...built,
    config,
    dir,
    async cleanup() {
      if (closed) return
      closed = true
      await built.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** JSON the test expects to be an object; fails loudly otherwise. */
export function json(response: LightMyRequestResponse): Record<string, unknown> {
  const body: unknown = response.json()
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`expected a JSON object, got ${response.body.slice(0, 200)}`)
  }
  return body as Record<string, unknown> // checked just above
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

/** The Cookie header a browser would send back, plus the marker a same-origin fetch adds. */
export function cookieHeaders(sessionToken: string): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${sessionToken}`, 'x-requested-with': 'fetch' }
}

/** The raw Set-Cookie line for the session cookie, if any. */
export function sessionSetCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie']
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header]
  return lines.find((line) => line.startsWith(`${SESSION_COOKIE}=`))
}

export function sessionTokenFrom(response: LightMyRequestResponse): string {
  const line = sessionSetCookie(response)
  const value = line?.split(';', 1)[0]?.slice(SESSION_COOKIE.length + 1)
  if (value === undefined || value === '') throw new Error('no session cookie was set')
  return decodeURIComponent(value)
}

let counter = 0

/** A unique, valid registration body. */
export function newAccount(overrides: Record<string, unknown> = {}): {
  email: string
  password: string
  username: string
} & Record<string, unknown> {
  counter += 1
  const id = `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`
  return {
    email: `user-${id}@example.com`,
    password: strongPassword,
    username: `user_${counter}_${id.slice(-6)}`,
    ...overrides,
  }
}

export interface LoggedIn {
  readonly id: string
  readonly email: string
  readonly password: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly sessionToken: string
  readonly login: LightMyRequestResponse
}

export async function register(
  app: FastifyInstance,
  body: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/auth/register', payload: body })
}

export async function login(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<LoggedIn> {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email, password },
  })
  if (response.statusCode !== 200)
    throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  const body = json(response)
  const user = body['user'] as { id: string } // the tokens shape, asserted by login.test.ts
  return {
    id: user.id,
    email,
    password,
    accessToken: String(body['access_token']),
    refreshToken: String(body['refresh_token']),
    sessionToken: sessionTokenFrom(response),
    login: response,
  }
}

/** Registers a fresh user and logs in. */
export async function signUp(
  app: FastifyInstance,
  overrides: Record<string, unknown> = {},
): Promise<LoggedIn> {
  const account = newAccount(overrides)
  const response = await register(app, account)
  if (response.statusCode !== 201)
    throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  return login(app, account.email, account.password)
}

/** An admin made through the bootstrap path (the CLI's `user create --role admin`), logged in. */
export async function signUpAdmin(t: TestApp): Promise<LoggedIn> {
  const account = newAccount()
  await t.auth.createUser({ ...account, role: 'admin' }, { ip: null, userAgent: null })
  return login(t.app, account.email, account.password)
}
