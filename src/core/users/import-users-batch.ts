import type { ImportUserInput } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { validationFailed } from '../errors.js'
import type { RequestContext } from '../types.js'
import { checkNewAccount, insertAccount } from './register.js'
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
  const accounts = inputs.map((input) => {
    if (input.passwordHash === undefined || !IMPORTABLE_HASH.test(input.passwordHash)) {
      throw validationFailed([
        { path: '/password_hash', message: 'a bcrypt or argon2 hash is required' },
      ])
    }
    return {
      input,
      passwordHash: input.passwordHash,
      account: checkNewAccount(ctx, { ...input, password: '', importedHash: input.passwordHash }),
    }
  })
  return ctx.audit.transaction(req, async (tx, record) => {
    for (const { input, passwordHash, account } of accounts) {
      await insertAccount(tx, record, {
        account,
        input,
        passwordHash,
        now,
        actorId: null,
        event: 'user.imported',
      })
    }
    return accounts.length
  })
}
