// The `latchkey` command line (bin/latchkey.js calls runCLI). A composition root, like server.ts.
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import dotenv from 'dotenv'
import { isConfigError, loadConfig, type Env } from '../config/env.js'
import { isAuthError } from '../core/errors.js'
import { runAuditVerify } from './commands/audit-verify.js'
import { parseBatchSize, runDbCopy } from './commands/db-copy.js'
import { parseDirection, runMigrate } from './commands/migrate.js'
import { parseKeysAction, runKeys } from './commands/keys.js'
import { runOTP } from './commands/otp.js'
import { runServe } from './commands/serve.js'
import { leaveCluster, parseWorkers, runServeCluster } from './commands/serve-cluster.js'
import { runBulkImport } from './commands/users-import-bulk.js'
import { createUserCommand, listUsersCommand, parseRole, setRoleCommand } from './commands/user.js'
import { importUsersCommand } from './commands/users-import.js'
import { processOutput, type Output } from './output.js'
import { withRuntime } from './runtime.js'
import { USAGE, UsageError } from './usage.js'

const OPTIONS = {
  email: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  role: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  to: { type: 'string' },
  force: { type: 'boolean' },
  'batch-size': { type: 'string' },
  workers: { type: 'string' },
  bulk: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values']

export interface CLIOptions {
  /** The environment; by default process.env after loading `.env` from the working directory. */
  readonly env?: Env
  readonly output?: Output
}

function loadEnvironment(): Env {
  // Values already in the environment win over .env (dotenv's default), as operators expect.
  const { error } = dotenv.config({ quiet: true })
  if (error !== undefined && (error as NodeJS.ErrnoException).code !== 'ENOENT') {
    throw new Error(`.env: ${error.message}`) // dotenv's errors are fs errors with a code
  }
  return process.env
}

function expectArgs(words: readonly string[], count: number, what: string): void {
  if (words.length !== count)
    throw new UsageError(`${what}: expected ${count === 0 ? 'no' : count} argument(s)`)
}

function allowOnly(values: Values, allowed: readonly string[], what: string): void {
  const extra = Object.keys(values).filter((key) => !allowed.includes(key))
  if (extra.length > 0) throw new UsageError(`${what} does not take --${extra.join(', --')}`)
}

async function readPassword(values: Values, env: Env): Promise<string> {
  if (values.password !== undefined) return values.password
  const fromEnv = env['LATCHKEY_PASSWORD']
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (values['password-stdin'] === true) {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array)) // stdin yields Buffers
    // Only the line ending goes: a password is used exactly as typed (SEC-PWD-03).
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
  }
  throw new UsageError('user create: give --password, LATCHKEY_PASSWORD or --password-stdin')
}

async function runUserCommand(
  words: readonly string[],
  values: Values,
  env: Env,
  output: Output,
): Promise<number> {
  const [sub, ...rest] = words
  switch (sub) {
    case 'create': {
      expectArgs(rest, 0, 'user create')
      allowOnly(
        values,
        ['email', 'password', 'password-stdin', 'role', 'username', 'name'],
        'user create',
      )
      if (values.email === undefined) throw new UsageError('user create: --email is required')
      const args = {
        email: values.email,
        password: await readPassword(values, env),
        role: values.role === undefined ? ('user' as const) : parseRole(values.role),
        username: values.username,
        name: values.name,
      }
      return withRuntime(loadConfig(env), (runtime) => createUserCommand(runtime, args, output))
    }
    case 'list':
      expectArgs(rest, 0, 'user list')
      allowOnly(values, [], 'user list')
      return withRuntime(loadConfig(env), (runtime) => listUsersCommand(runtime, output))
    case 'set-role': {
      expectArgs(rest, 2, 'user set-role')
      allowOnly(values, [], 'user set-role')
      const [who = '', roleWord] = rest
      const role = parseRole(roleWord)
      return withRuntime(loadConfig(env), (runtime) => setRoleCommand(runtime, who, role, output))
    }
    default:
      throw new UsageError(`user: unknown subcommand "${sub ?? ''}" (create, list, set-role)`)
  }
}

async function dispatch(
  words: readonly string[],
  values: Values,
  env: Env,
  output: Output,
): Promise<number> {
  const [command, ...rest] = words
  switch (command) {
    case 'serve':
      expectArgs(rest, 0, 'serve')
      allowOnly(values, ['workers'], 'serve')
      if (values.workers !== undefined) {
        return runServeCluster(loadConfig(env), parseWorkers(values.workers), output)
      }
      return runServe(loadConfig(env), output).finally(leaveCluster)
    case 'migrate': {
      if (rest.length > 1) throw new UsageError('migrate: expected at most one of up, down, status')
      allowOnly(values, [], 'migrate')
      const direction = parseDirection(rest[0])
      return runMigrate(loadConfig(env), direction, output)
    }
    case 'user':
      return runUserCommand(rest, values, env, output)
    case 'users': {
      if (rest[0] !== 'import') throw new UsageError('users: expected "users import FILE"')
      expectArgs(rest, 2, 'users import')
      allowOnly(values, ['bulk', 'batch-size'], 'users import')
      const file = rest[1] ?? '-'
      const config = loadConfig(env)
      if (values.bulk === true) {
        const batch = parseBatchSize(values['batch-size']) ?? 1000
        return runBulkImport(config, file, batch, output)
      }
      const concurrency = Math.min(config.passwordHashThreads, availableParallelism()) * 2
      return withRuntime(config, (runtime) =>
        importUsersCommand(runtime, file, concurrency, output),
      )
    }
    case 'keys':
      expectArgs(rest, 1, 'keys')
      allowOnly(values, [], 'keys')
      return runKeys(loadConfig(env), parseKeysAction(rest[0]), output)
    case 'audit':
      if (rest[0] !== 'verify') throw new UsageError('audit: expected "audit verify"')
      expectArgs(rest, 1, 'audit verify')
      allowOnly(values, [], 'audit verify')
      return runAuditVerify(loadConfig(env), output)
    case 'db': {
      if (rest[0] !== 'copy') throw new UsageError('db: expected "db copy --to URL"')
      expectArgs(rest, 1, 'db copy')
      allowOnly(values, ['to', 'force', 'batch-size'], 'db copy')
      if (values.to === undefined) throw new UsageError('db copy: --to URL is required')
      const batchSize = parseBatchSize(values['batch-size'])
      const args = { to: values.to, force: values.force === true }
      return runDbCopy(
        loadConfig(env),
        batchSize === undefined ? args : { ...args, batchSize },
        output,
      )
    }
    case 'otp':
      expectArgs(rest, 1, 'otp')
      allowOnly(values, [], 'otp')
      return runOTP(rest[0] ?? '', output)
    default:
      throw new UsageError(`unknown command "${command ?? ''}"`)
  }
}

// parseArgs reports unknown or malformed options as TypeErrors with ERR_PARSE_ARGS_* codes.
function isParseArgsError(error: unknown): error is TypeError {
  return (
    error instanceof TypeError &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS')
  )
}

function describeError(error: unknown): string {
  if (isConfigError(error)) return error.message
  if (isAuthError(error))
    return error.detail === undefined ? error.code : `${error.code}: ${error.detail}`
  return error instanceof Error ? error.message : String(error)
}

/** Runs one command; resolves to the exit status (0 ok, 1 failure, 2 usage error). */
export async function runCLI(argv: readonly string[], options: CLIOptions = {}): Promise<number> {
  const output = options.output ?? processOutput
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    })
    if (values.help === true) {
      output.out(USAGE)
      return 0
    }
    if (positionals.length === 0) throw new UsageError('no command given')
    return await dispatch(positionals, values, options.env ?? loadEnvironment(), output)
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      output.err(`latchkey: ${error.message}\n\n${USAGE}`)
      return 2
    }
    output.err(`latchkey: ${describeError(error)}`)
    return 1
  }
}
