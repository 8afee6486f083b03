import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AuthError } from '../../../src/core/errors.ts'
import {
  at,
  concurrently,
  fulfilled,
  newUser,
  rejected,
  rejectsWithCode,
  type StoreFixture,
} from './fixtures.ts'

export function describeUsers(fixture: StoreFixture): void {
  describe('users', () => {
    it('creates a user and finds it by id, email and username key', async () => {
      const { users } = fixture.store
      const input = newUser({
        username: 'Zoë',
        usernameKey: 'zoë',
        name: 'Zoë Quinn',
        role: 'admin',
        emailVerified: true,
        profile: { company: 'Acme', age: 41, newsletter: false, note: null },
      })
      const created = await users.create(input)
      const expected = {
        id: input.id,
        email: input.email,
        username: 'Zoë',
        name: 'Zoë Quinn',
        role: 'admin',
        emailVerified: true,
        mfaEnabled: false,
        disabled: false,
        profile: { company: 'Acme', age: 41, newsletter: false, note: null },
        createdAt: at(0),
        updatedAt: at(0),
      }
      assert.deepEqual(created, expected)
      assert.deepEqual(await users.findById(input.id), expected)
      const withPassword = { ...expected, passwordHash: input.passwordHash }
      assert.deepEqual(await users.findByIdWithPassword(input.id), withPassword)
      assert.deepEqual(await users.findByEmailWithPassword(input.email), withPassword)
      assert.deepEqual(await users.findByUsernameKeyWithPassword('zoë'), withPassword)
    })

    it('answers null for unknown ids, emails and usernames', async () => {
      const { users } = fixture.store
      assert.equal(await users.findById('nobody'), null)
      assert.equal(await users.findByIdWithPassword('nobody'), null)
      assert.equal(await users.findByEmailWithPassword('nobody@example.test'), null)
      assert.equal(await users.findByUsernameKeyWithPassword('nobody'), null)
      assert.equal(await users.update('nobody', { name: 'x' }, at(1)), null)
    })

    it('refuses a taken email with email_taken, comparing exactly (core normalises)', async () => {
      const { users } = fixture.store
      await users.create(newUser({ email: 'ada@example.test' }))
      await rejectsWithCode(users.create(newUser({ email: 'ada@example.test' })), 'email_taken')
      // The store enforces, it does not fold: different bytes are a different email.
      await users.create(newUser({ email: 'Ada@example.test' }))
      await users.create(newUser({ email: 'adá@example.test' }))
      assert.equal(await users.count(), 3)
    })

    it('refuses a taken username key with username_taken; many users may have none', async () => {
      const { users } = fixture.store
      await users.create(newUser({ username: 'Ada', usernameKey: 'ada' }))
      await rejectsWithCode(
        users.create(newUser({ username: 'ADA', usernameKey: 'ada' })),
        'username_taken',
      )
      await users.create(newUser())
      await users.create(newUser())
      assert.equal(await users.count(), 3)
    })

    it('creates many users in chunks; in a transaction, a taken email or username undoes them all', async () => {
      const { users } = fixture.store
      const many = Array.from({ length: 1201 }, (_, i) =>
        newUser({ username: `u${i}`, usernameKey: `u${i}`, createdAt: at(i) }),
      )
      const created = await fixture.store.transaction((tx) => tx.users.createMany(many))
      assert.equal(created.length, 1201)
      assert.equal(await users.count(), 1201)
      const last = many[1200]
      assert.equal(
        (await users.findByEmailWithPassword(last?.email ?? ''))?.createdAt.getTime(),
        at(1200).getTime(),
      )
      assert.deepEqual(await users.findById(created[600]?.id ?? ''), created[600])

      // The clash is in the third chunk: the first two, already inserted, are rolled back too.
      const clashing = Array.from({ length: 1100 }, () => newUser())
      clashing[1050] = newUser({ email: last?.email ?? '' })
      const insert = (batch: typeof many) =>
        fixture.store.transaction((tx) => tx.users.createMany(batch))
      await rejectsWithCode(insert(clashing), 'email_taken')
      clashing[1050] = newUser({ username: 'U7', usernameKey: 'u7' })
      await rejectsWithCode(insert(clashing), 'username_taken')
      assert.equal(await users.count(), 1201)
      assert.deepEqual(await users.createMany([]), [])
    })

    it('lets exactly one of 10 concurrent registrations of one email win', async () => {
      const { users } = fixture.store
      const results = await concurrently(10, () =>
        users.create(newUser({ email: 'race@example.test' })),
      )
      assert.equal(fulfilled(results).length, 1)
      const failures = rejected(results)
      assert.equal(failures.length, 9)
      for (const failure of failures) {
        assert.ok(failure instanceof AuthError && failure.code === 'email_taken', String(failure))
      }
      assert.equal(await users.count(), 1)
    })

    it('updates the given fields only and stamps updatedAt', async () => {
      const { users } = fixture.store
      const user = await users.create(newUser({ name: 'Old', profile: { company: 'A' } }))
      const updated = await users.update(
        user.id,
        { name: 'New', username: 'Neo', usernameKey: 'neo', profile: { age: 3 }, role: 'admin' },
        at(60),
      )
      assert.deepEqual(updated, {
        ...user,
        name: 'New',
        username: 'Neo',
        profile: { age: 3 },
        role: 'admin',
        updatedAt: at(60),
      })
      const flags = await users.update(user.id, { disabled: true, emailVerified: true }, at(61))
      assert.equal(flags?.disabled, true)
      assert.equal(flags?.emailVerified, true)
      assert.equal(flags?.name, 'New')
      await users.update(user.id, { passwordHash: 'new-hash', name: null }, at(62))
      const reread = await users.findByIdWithPassword(user.id)
      assert.equal(reread?.passwordHash, 'new-hash')
      assert.equal(reread?.name, null)
      assert.equal(reread?.username, 'Neo')
    })

    it('refuses an update to a taken username key with username_taken', async () => {
      const { users } = fixture.store
      await users.create(newUser({ username: 'taken', usernameKey: 'taken' }))
      const other = await users.create(newUser())
      await rejectsWithCode(
        users.update(other.id, { username: 'Taken', usernameKey: 'taken' }, at(1)),
        'username_taken',
      )
      assert.equal((await users.findById(other.id))?.username, null)
    })

    it('lists newest first with cursor paging to the last page', async () => {
      const { users } = fixture.store
      const ids: string[] = []
      // Two share a creation instant: the order must still be total and stable.
      for (const second of [1, 2, 3, 3, 4]) {
        ids.push((await users.create(newUser({ createdAt: at(second) }))).id)
      }
      const seen: string[] = []
      let cursor: string | undefined
      for (let page = 0; page < 5; page += 1) {
        const result = await users.list({ limit: 2, ...(cursor ? { cursor } : {}) })
        seen.push(...result.items.map((u) => u.id))
        if (result.nextCursor === null) break
        cursor = result.nextCursor
      }
      assert.equal(seen.length, 5)
      assert.deepEqual(new Set(seen), new Set(ids))
      const times = (await users.list({ limit: 10 })).items.map((u) => u.createdAt.getTime())
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      )
      const all = await users.list({ limit: 5 })
      assert.equal(all.nextCursor, null)
      assert.deepEqual(await users.list({ limit: 5, cursor: 'no-such-user' }), {
        items: [],
        nextCursor: null,
      })
    })

    it('filters by a case-insensitive substring of email, username or name', async () => {
      const { users } = fixture.store
      const ada = await users.create(newUser({ email: 'ada.l@example.test' }))
      const bob = await users.create(
        newUser({ username: 'BobTheBuilder', usernameKey: 'bobthebuilder' }),
      )
      const cy = await users.create(newUser({ name: 'Cy Twombly' }))
      const ids = async (q: string): Promise<string[]> =>
        (await users.list({ limit: 10, q })).items.map((u) => u.id).sort()
      assert.deepEqual(await ids('ADA.L'), [ada.id])
      assert.deepEqual(await ids('thebuild'), [bob.id])
      assert.deepEqual(await ids('twOMB'), [cy.id])
      assert.deepEqual(await ids('zzz'), [])
    })

    it('treats LIKE wildcards and quotes in q as plain characters', async () => {
      const { users } = fixture.store
      const percent = await users.create(newUser({ name: '100% sure' }))
      const under = await users.create(newUser({ name: 'snake_case' }))
      const bang = await users.create(newUser({ name: 'wow! really' }))
      await users.create(newUser({ name: 'snakeXcase 100 sure' }))
      const ids = async (q: string): Promise<string[]> =>
        (await users.list({ limit: 10, q })).items.map((u) => u.id)
      assert.deepEqual(await ids('%'), [percent.id])
      assert.deepEqual(await ids('e_c'), [under.id])
      assert.deepEqual(await ids('!'), [bang.id])
      assert.deepEqual(await ids("' or '1'='1"), [])
      assert.deepEqual(await ids('\\'), [])
    })
  })
}
