import type { ImportUserInput } from '../auth-api.js'
import type { CoreContext } from '../context.js'
import { validationFailed } from '../errors.js'
import type { RequestContext, User } from '../types.js'
import { createAccount } from './register.js'

// bcrypt ($2a$/$2b$/$2y$, cost 4-31) and argon2 PHC strings; anything else cannot be verified.
export const IMPORTABLE_HASH =
  /^(\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}|\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+)$/

/**
 * One user from an export. A foreign hash is kept as it is and verified at the next login, which
 * then upgrades it to argon2id at current parameters.
 */
export async function importUser(
  ctx: CoreContext,
  input: ImportUserInput,
  req: RequestContext,
): Promise<User> {
  if (input.passwordHash !== undefined) {
    if (!IMPORTABLE_HASH.test(input.passwordHash)) {
      throw validationFailed([
        { path: '/password_hash', message: 'is not a bcrypt or argon2 hash' },
      ])
    }
    return createAccount(
      ctx,
      { ...input, password: '', importedHash: input.passwordHash },
      req,
      null,
    )
  }
  if (input.password === undefined) {
    throw validationFailed([
      { path: '/password', message: 'a password or a password_hash is required' },
    ])
  }
  return createAccount(ctx, { ...input, password: input.password }, req, null)
}
