import { generateId } from '../../crypto/random.js'
import type { ImportUserInput, RegisterInput } from '../auth-api.js'
import type { AuditInput, RecordAuditEvent } from '../audit/audit.js'
import type { CoreContext } from '../context.js'
import type { StoreTx } from '../ports.js'
import { validationFailed, type FieldError } from '../errors.js'
import type { NewUser, RequestContext, Role, User } from '../types.js'
import { checkEmail, normalizeEmail } from './email.js'
import { checkPassword } from './password-policy.js'
import { checkName, checkProfile } from './profile.js'
import { checkUsername, normalizeUsername, usernameKey } from './username.js'

export interface NewAccountInput extends RegisterInput {
  readonly role?: Role | undefined
  readonly emailVerified?: boolean | undefined
  /** An imported bcrypt/argon2 hash used instead of `password` (users import). */
  readonly importedHash?: string | undefined
}

interface CheckedAccount {
  readonly email: string
  readonly username: string | null
  readonly name: string | null
  readonly profile: Record<string, string | number | boolean | null>
}

/** Every field problem at once, so a form can show them all. */
export function checkNewAccount(ctx: CoreContext, input: NewAccountInput): CheckedAccount {
  const errors: FieldError[] = []
  const email = normalizeEmail(input.email)
  const emailError = checkEmail(email)
  if (emailError) errors.push(emailError)
  const username = input.username === undefined ? null : normalizeUsername(input.username)
  const usernameError = username === null ? null : checkUsername(username)
  if (usernameError) errors.push(usernameError)
  const name = input.name === undefined ? null : input.name.trim() || null
  const nameError = checkName(name)
  if (nameError) errors.push(nameError)
  if (input.importedHash === undefined) {
    const { passwordMinLength: minLength, passwordMaxLength: maxLength } = ctx.settings
    const passwordError = checkPassword(
      input.password,
      { minLength, maxLength },
      { email, username, name },
    )
    if (passwordError) errors.push(passwordError)
  }
  const profile = checkProfile(ctx.settings.profileFields, input.profile, null)
  errors.push(...profile.errors)
  if (errors.length > 0) throw validationFailed(errors)
  return { email, username, name, profile: { ...profile.profile } }
}

/**
 * Hash first, then write: the transaction never waits on argon2 (Better Auth hashes inside its
 * sign-up transaction, and sign-ups then run one at a time). A duplicate email or username is
 * reported by the store's unique keys, which also settles concurrent sign-ups.
 */
export async function createAccount(
  ctx: CoreContext,
  input: NewAccountInput,
  req: RequestContext,
  actorId: string | null,
): Promise<User> {
  const account = checkNewAccount(ctx, input)
  const passwordHash = input.importedHash ?? (await ctx.hasher.hash(input.password))
  const now = ctx.clock.now()
  return ctx.audit.transaction(req, (tx, record) =>
    insertAccount(tx, record, {
      account,
      input,
      passwordHash,
      now,
      actorId,
      event: input.importedHash === undefined ? 'user.registered' : 'user.imported',
    }),
  )
}

/** One checked account as it is written, with what its audit event says. */
export interface AccountRow {
  readonly account: CheckedAccount
  readonly input: NewAccountInput | ImportUserInput
  readonly passwordHash: string
  readonly now: Date
  readonly actorId: string | null
  readonly event: 'user.registered' | 'user.imported'
}

/** The user row of a checked account, with a fresh id. */
export function newUserOf(row: AccountRow): NewUser {
  const { account, input } = row
  return {
    id: generateId(),
    email: account.email,
    username: account.username,
    usernameKey: account.username === null ? null : usernameKey(account.username),
    name: account.name,
    role: input.role ?? 'user',
    emailVerified: input.emailVerified ?? false,
    passwordHash: row.passwordHash,
    profile: account.profile,
    createdAt: row.now,
  }
}

/** The event that records a new account. */
export function accountEvent(row: AccountRow, user: User): AuditInput {
  return { type: row.event, userId: user.id, actorId: row.actorId, data: { role: user.role } }
}

/** Writes one checked account and the event that records it, inside the caller's transaction. */
export async function insertAccount(
  tx: StoreTx,
  record: RecordAuditEvent,
  row: AccountRow,
): Promise<User> {
  const user = await tx.users.create(newUserOf(row))
  await record(accountEvent(row, user))
  return user
}
