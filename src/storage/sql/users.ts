import type { UserStore } from '../../core/ports.js'
import type {
  NewUser,
  Page,
  User,
  UserPatch,
  UserQuery,
  UserWithPassword,
} from '../../core/types.js'
import type { Updateable } from 'kysely'
import { sql } from 'kysely'
import {
  USER_COLUMNS,
  serializeProfile,
  toFlag,
  toUser,
  toUserWithPassword,
  type UserRow,
} from './rows.js'
import type { UsersTable } from './schema.js'
import { PreparedQuery } from './prepared-query.js'
import { type SqlContext } from './sql-context.js'

const MAX_PAGE = 1_000
// 13 columns a row: 500 rows stay far below every driver's parameter limit.
const INSERT_CHUNK = 500

function toRow(user: NewUser): UserRow {
  const createdAt = user.createdAt.getTime()
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    username_key: user.usernameKey,
    name: user.name,
    role: user.role,
    email_verified: toFlag(user.emailVerified),
    mfa_enabled: 0,
    disabled: 0,
    password_hash: user.passwordHash,
    profile: serializeProfile(user.profile),
    created_at: createdAt,
    updated_at: createdAt,
  }
}

// Every login and every session fill starts with one of these.
function findUserBy(column: 'id' | 'email' | 'username_key'): PreparedQuery<UserRow> {
  return new PreparedQuery(({ db }, value) =>
    db.selectFrom('users').select(USER_COLUMNS).where(column, '=', value<string>(0)),
  )
}
const FIND_USER_BY = {
  id: findUserBy('id'),
  email: findUserBy('email'),
  username_key: findUserBy('username_key'),
}

// `!` as the LIKE escape character: backslash means different things in MySQL string literals
// and in standard SQL, `!` means the same on all three.
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`
}

export class SqlUserStore implements UserStore {
  readonly #context: SqlContext

  constructor(context: SqlContext) {
    this.#context = context
  }

  async create(user: NewUser): Promise<User> {
    const row = toRow(user)
    // A taken email or username_key fails here; errors.ts turns it into email_taken or
    // username_taken. The unique index decides, so concurrent registrations cannot both win.
    await this.#context.db.insertInto('users').values(row).execute()
    return toUser(row)
  }

  async createMany(users: readonly NewUser[]): Promise<User[]> {
    const rows = users.map(toRow)
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.#context.db
        .insertInto('users')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute()
    }
    return rows.map(toUser)
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.#findBy('id', id)
    return row === undefined ? null : toUser(row)
  }

  async findByIdWithPassword(id: string): Promise<UserWithPassword | null> {
    const row = await this.#findBy('id', id)
    return row === undefined ? null : toUserWithPassword(row)
  }

  async findByEmailWithPassword(email: string): Promise<UserWithPassword | null> {
    const row = await this.#findBy('email', email)
    return row === undefined ? null : toUserWithPassword(row)
  }

  async findByUsernameKeyWithPassword(usernameKey: string): Promise<UserWithPassword | null> {
    const row = await this.#findBy('username_key', usernameKey)
    return row === undefined ? null : toUserWithPassword(row)
  }

  async update(id: string, patch: UserPatch, now: Date): Promise<User | null> {
    const set: Updateable<UsersTable> = { updated_at: now.getTime() }
    if (patch.name !== undefined) set.name = patch.name
    if (patch.username !== undefined) set.username = patch.username
    if (patch.usernameKey !== undefined) set.username_key = patch.usernameKey
    if (patch.profile !== undefined) set.profile = serializeProfile(patch.profile)
    if (patch.role !== undefined) set.role = patch.role
    if (patch.disabled !== undefined) set.disabled = toFlag(patch.disabled)
    if (patch.emailVerified !== undefined) set.email_verified = toFlag(patch.emailVerified)
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash
    await this.#context.db.updateTable('users').set(set).where('id', '=', id).execute()
    return this.findById(id)
  }

  async list(query: UserQuery): Promise<Page<User>> {
    const { db } = this.#context
    const limit = Math.max(1, Math.min(query.limit, MAX_PAGE))
    let select = db.selectFrom('users').select(USER_COLUMNS)
    if (query.cursor !== undefined) {
      const after = await db
        .selectFrom('users')
        .select(['created_at', 'id'])
        .where('id', '=', query.cursor)
        .executeTakeFirst()
      // A cursor that names no user cannot come from a previous page: nothing follows it.
      if (after === undefined) return { items: [], nextCursor: null }
      select = select.where((eb) =>
        eb.or([
          eb('created_at', '<', after.created_at),
          eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)]),
        ]),
      )
    }
    if (query.q !== undefined && query.q !== '') {
      const pattern = likePattern(query.q)
      select = select.where((eb) =>
        eb.or(
          (['email', 'username', 'name'] as const).map(
            (column) => sql<boolean>`lower(${eb.ref(column)}) like ${pattern} escape '!'`,
          ),
        ),
      )
    }
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute()
    const items = rows.slice(0, limit).map(toUser)
    const nextCursor = rows.length > limit ? (items.at(-1)?.id ?? null) : null
    return { items, nextCursor }
  }

  async count(): Promise<number> {
    const row = await this.#context.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async #findBy(
    column: 'id' | 'email' | 'username_key',
    value: string,
  ): Promise<UserRow | undefined> {
    return (await FIND_USER_BY[column].execute(this.#context, value)).rows[0]
  }
}
