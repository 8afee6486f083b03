import type { Role, User } from '../../core/types.js'
import type { Output } from '../output.js'
import { CLI_CONTEXT, printable } from '../runtime.js'
import type { Runtime } from '../../server.js'
import { UsageError } from '../usage.js'

export function parseRole(word: string | undefined): Role {
  if (word === 'user' || word === 'admin') return word
  throw new UsageError(`role must be user or admin, got "${word ?? ''}"`)
}

export interface CreateUserArgs {
  readonly email: string
  readonly password: string
  readonly role: Role
  readonly username?: string | undefined
  readonly name?: string | undefined
}

function describe(user: User): string {
  return `${user.id} ${printable(user.email)} (${user.role})`
}

/**
 * `latchkey user create`: the explicit bootstrap of the first admin (SEC-PWD-07). The operator
 * vouches for the address, so the account starts verified; the password policy applies as usual.
 */
export async function createUserCommand(
  runtime: Runtime,
  args: CreateUserArgs,
  output: Output,
): Promise<number> {
  const user = await runtime.auth.createUser({ ...args, emailVerified: true }, CLI_CONTEXT)
  output.out(`created user ${describe(user)}`)
  return 0
}

/** `latchkey user list`: every account, oldest page last, tab-separated. */
export async function listUsersCommand(runtime: Runtime, output: Output): Promise<number> {
  output.out(
    ['ID', 'EMAIL', 'ROLE', 'USERNAME', 'VERIFIED', 'MFA', 'DISABLED', 'CREATED'].join('\t'),
  )
  let cursor: string | undefined
  let count = 0
  do {
    const page = await runtime.auth.listAllUsers({ limit: 100, cursor })
    for (const user of page.items) {
      const flags = [user.emailVerified, user.mfaEnabled, user.disabled].map((f) =>
        f ? 'yes' : 'no',
      )
      output.out(
        [
          user.id,
          printable(user.email),
          user.role,
          printable(user.username),
          ...flags,
          user.createdAt.toISOString(),
        ].join('\t'),
      )
      count += 1
    }
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  output.out(`${count} user(s)`)
  return 0
}

/** `latchkey user set-role EMAIL|ID ROLE`. */
export async function setRoleCommand(
  runtime: Runtime,
  emailOrId: string,
  role: Role,
  output: Output,
): Promise<number> {
  const user = await runtime.auth.setRole(emailOrId, role, CLI_CONTEXT)
  output.out(`user ${describe(user)} now has role ${user.role}`)
  return 0
}
