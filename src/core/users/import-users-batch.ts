import type { ImportUserInput } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { validationFailed } from '../errors.js'
import type { RequestContext } from '../types.js'
import { accountEvent, checkNewAccount, newUserOf, type AccountRow } from './register.js'
import { IMPORTABLE_HASH } from './import-user.js'

/**
 * Many pre-hashed users in ONE transaction (`latchkey users import --bulk`): the same checks,
 * normalisation and `user.imported` audit events as importUser, but one commit (one fsync) per
 * batch instead of one per user, and no password hashing at all. All or nothing: a duplicate or
 * bad line rolls the batch back, and the caller retries its lines one by one to name the culprit.
 * @returns how many users were created
 */
export async function importUsersBatch(
  ctx: CoreContext,
  inputs: readonly ImportUserInput[],
  req: RequestContext,
): Promise<number> {
  const now = ctx.clock.now()
  const rows = inputs.map((input): AccountRow => {
    if (input.passwordHash === undefined || !IMPORTABLE_HASH.test(input.passwordHash)) {
      throw validationFailed([
        { path: '/password_hash', message: 'a bcrypt or argon2 hash is required' },
      ])
    }
    const account = checkNewAccount(ctx, {
      ...input,
      password: '',
      importedHash: input.passwordHash,
    })
    const passwordHash = input.passwordHash
    return { account, input, passwordHash, now, actorId: null, event: 'user.imported' }
  })
  return ctx.audit.transaction(req, async (tx, record) => {
    // One multi-row insert per few hundred users: on PostgreSQL and MySQL a statement per user
    // made the import a round trip per user.
    const users = await tx.users.createMany(rows.map(newUserOf))
    for (const [i, user] of users.entries()) {
      const row = rows[i]
      if (row !== undefined) await record(accountEvent(row, user))
    }
    return users.length
  })
}
