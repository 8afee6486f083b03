// Which external services the tests can use. A suite that needs an absent service is skipped
// locally with one line saying what is missing and how to start it; with CI set the run fails
// instead, so a broken CI service can never turn into a silently green build.
import { connect } from 'node:net'

export type ServiceName = 'postgres' | 'mysql' | 'redis'
export type StoreName = 'sqlite' | ServiceName

export function postgresUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
}

export function mysqlUrl(): string {
  return process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
}

export function redisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
}

const SERVICES: Record<
  ServiceName,
  { url: () => string; port: number; env: string; start: string }
> = {
  postgres: {
    url: postgresUrl,
    port: 5432,
    env: 'TEST_POSTGRES_URL',
    start:
      'docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16',
  },
  mysql: {
    url: mysqlUrl,
    port: 3306,
    env: 'TEST_MYSQL_URL',
    start:
      'docker run -d -p 3306:3306 -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 -e MARIADB_DATABASE=test mariadb:11',
  },
  redis: {
    url: redisUrl,
    port: 6379,
    env: 'TEST_REDIS_URL',
    start: 'docker run -d -p 6379:6379 redis:7',
  },
}

/** `STORES=sqlite,postgres` narrows the store suites that run, like Kysely's `DIALECTS`. */
export function isStoreSelected(store: StoreName): boolean {
  const selected = process.env.STORES
  if (selected === undefined || selected.trim() === '') return true
  return selected
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes(store)
}

/** True when a TCP connection to the URL's host and port opens within the timeout. */
export function isReachable(url: string, defaultPort: number, timeoutMs = 1_500): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || defaultPort) })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * Whether the suite for `store` should be skipped: `false` to run it, else the reason. A store
 * left out of STORES is skipped (also in CI: that is a choice). An unreachable service prints one
 * line and skips locally, but throws when `CI` is set, failing the test file.
 */
export async function storeSkipReason(store: StoreName): Promise<string | false> {
  if (!isStoreSelected(store)) return `not in STORES=${process.env.STORES ?? ''}`
  if (store === 'sqlite') return false
  const service = SERVICES[store]
  const url = service.url()
  if (await isReachable(url, service.port)) return false
  const where = new URL(url).host
  const message = `${store} is not reachable at ${where}: start it with \`${service.start}\` or set ${service.env}`
  if (process.env.CI !== undefined && process.env.CI !== '') {
    throw new Error(`${message} (CI is set, so this fails instead of skipping)`)
  }
  process.stderr.write(`# ${message}; skipping the ${store} suite\n`)
  return message
}
