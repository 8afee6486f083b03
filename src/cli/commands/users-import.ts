// `latchkey users import FILE`: one JSON object per line, e.g.
//   {"email":"ada@example.com","password_hash":"$2b$12$…","name":"Ada","role":"admin"}
// bcrypt ($2a$/$2b$/$2y$) and argon2 PHC hashes are kept as they are and upgraded to the current
// argon2id parameters at the user's next login. A bad line is reported and the rest go on.
import { readFile } from 'node:fs/promises'
import type { ImportUserInput } from '../../core/auth-api.js'
import { isAuthError } from '../../core/errors.js'
import type { Runtime } from '../../server.js'
import type { Output } from '../output.js'
import { CLI_CONTEXT } from '../runtime.js'
import { parseRole } from './user.js'

const FIELDS = new Set([
  'email',
  'password',
  'password_hash',
  'username',
  'name',
  'role',
  'email_verified',
  'profile',
])

class LineError extends Error {}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new LineError(`${key} must be a string`)
  return value
}

/** Narrows one parsed line to the import input; the messages never quote a password. */
export function parseImportLine(text: string): ImportUserInput {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new LineError('not a JSON object')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LineError('not a JSON object')
  }
  const record = parsed as Record<string, unknown> // a non-null, non-array object, checked above
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key))
  if (unknown.length > 0) throw new LineError(`unknown field(s): ${unknown.join(', ')}`)
  const email = optionalString(record, 'email')
  if (email === undefined) throw new LineError('email is required')
  const password = optionalString(record, 'password')
  const passwordHash = optionalString(record, 'password_hash')
  if ((password === undefined) === (passwordHash === undefined)) {
    throw new LineError('exactly one of password and password_hash is required')
  }
  const verified = record['email_verified']
  if (verified !== undefined && typeof verified !== 'boolean') {
    throw new LineError('email_verified must be true or false')
  }
  const profile = record['profile']
  if (
    profile !== undefined &&
    (typeof profile !== 'object' || profile === null || Array.isArray(profile))
  ) {
    throw new LineError('profile must be an object')
  }
  const role = optionalString(record, 'role')
  return {
    email,
    password,
    passwordHash,
    username: optionalString(record, 'username'),
    name: optionalString(record, 'name'),
    role: role === undefined ? undefined : parseRoleOrFail(role),
    emailVerified: verified,
    profile: profile as Readonly<Record<string, unknown>> | undefined, // a plain object, checked above
  }
}

function parseRoleOrFail(role: string): ImportUserInput['role'] {
  try {
    return parseRole(role)
  } catch {
    throw new LineError('role must be user or admin')
  }
}

/** The reason a line was refused, or null for a failure that is not the line's fault. */
function describeFailure(error: unknown): string | null {
  if (error instanceof LineError) return error.message
  if (isAuthError(error))
    return error.detail === undefined ? error.code : `${error.code}: ${error.detail}`
  return null
}

async function readSource(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array)) // stdin yields Buffers
  return Buffer.concat(chunks).toString('utf8')
}

export async function importUsersCommand(
  runtime: Runtime,
  file: string,
  concurrency: number,
  output: Output,
): Promise<number> {
  const lines = (await readSource(file)).split(/\r?\n/)
  const work = lines.flatMap((text, index) =>
    text.trim() === '' ? [] : [{ text, lineNumber: index + 1 }],
  )
  const failures = new Map<number, string>()
  let next = 0
  let fatal: { error: unknown } | undefined
  // A few lines at once keep the password-hash pool busy; each line is independent.
  async function worker(): Promise<void> {
    for (let item = work[next++]; item !== undefined && fatal === undefined; item = work[next++]) {
      try {
        await runtime.auth.importUser(parseImportLine(item.text), CLI_CONTEXT)
      } catch (error) {
        const reason = describeFailure(error)
        // Not the line's fault (the database went away): stop the import rather than blame lines.
        if (reason === null) fatal = { error }
        else failures.set(item.lineNumber, reason)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))
  if (fatal !== undefined) throw fatal.error
  for (const [lineNumber, message] of [...failures].sort(([a], [b]) => a - b)) {
    output.err(`line ${lineNumber}: ${message}`)
  }
  output.out(`imported ${work.length - failures.size}, failed ${failures.size}`)
  return failures.size === 0 ? 0 : 1
}
