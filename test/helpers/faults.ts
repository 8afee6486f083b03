// Stopping and starting the shared PostgreSQL and Redis for the fault tests. These outages hit
// every test that uses the services at that moment, so the tests that cause them run only in CI
// (where scripts/run-tests.mjs runs one file at a time) or when FAULT_TESTS=1 asks for them
// locally, keep each outage to a few seconds, and always restart the service in `finally`.
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

export function faultSkipReason(): string | false {
  const ci = process.env.CI !== undefined && process.env.CI !== ''
  if (ci || process.env.FAULT_TESTS === '1') return false
  const reason = 'stops shared services: runs in CI, or locally with FAULT_TESTS=1'
  process.stderr.write(`# fault test skipped: ${reason}\n`)
  return reason
}

function postgresVersion(): string {
  const versions = readdirSync('/etc/postgresql')
  const version = versions[0]
  if (version === undefined) throw new Error('no PostgreSQL cluster under /etc/postgresql')
  return version
}

function succeeds(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 }).status === 0
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`)
    await sleep(100)
  }
}

const isPostgresUp = (): boolean => succeeds('pg_isready', ['-h', '127.0.0.1', '-q'])
const isRedisUp = (): boolean => succeeds('redis-cli', ['-h', '127.0.0.1', 'ping'])

export async function stopPostgres(): Promise<void> {
  // fast: ends the open sessions at once (a smart shutdown would wait for our pools to close).
  execFileSync(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', '--mode', 'fast', postgresVersion(), 'main', 'stop'],
    {
      stdio: 'ignore',
    },
  )
  await waitUntil('PostgreSQL did not stop', () => !isPostgresUp())
}

/** Starts PostgreSQL if it is down; safe to call when it is up. */
export async function startPostgres(): Promise<void> {
  if (isPostgresUp()) return
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'start'], {
    stdio: 'ignore',
  })
  await waitUntil('PostgreSQL did not come back', isPostgresUp)
}

export async function stopRedis(): Promise<void> {
  spawnSync('redis-cli', ['-h', '127.0.0.1', 'shutdown', 'nosave'], { stdio: 'ignore' })
  await waitUntil('Redis did not stop', () => !isRedisUp())
}

/** Starts Redis (as .ci/run does) if it is down; safe to call when it is up. */
export async function startRedis(): Promise<void> {
  if (isRedisUp()) return
  spawnSync(
    'redis-server',
    [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      '6379',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  )
  await waitUntil('Redis did not come back', isRedisUp)
}
