import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  json,
  makeApp,
  signUp,
  signUpAdmin,
  type LoggedIn,
  type TestApp,
} from '../helpers/app.ts'

interface EventJSON {
  id: string
  at: string
  type: string
  user_id: string | null
  actor_id: string | null
  session_id: string | null
  ip: string | null
  user_agent: string | null
  data: Record<string, unknown>
}
interface EventPage {
  items: EventJSON[]
  next_cursor: string | null
}

describe('audit: /users/{id}/logs, /audit/users/{id}, /audit', () => {
  let t: TestApp
  let admin: LoggedIn
  before(async () => {
    t = await makeApp()
    admin = await signUpAdmin(t)
  })
  after(async () => {
    await t.close()
  })

  async function get(url: string, token: string) {
    return t.app.inject({
      method: 'GET',
      url,
      headers: { ...bearer(token), 'user-agent': 'audit-test/1.0' },
    })
  }

  for (const path of ['/users/{id}/logs', '/audit/users/{id}']) {
    it(`${path}: a user reads their own events, in the contract's shape and without secrets`, async () => {
      const user = await signUp(t.app)
      const response = await get(path.replace('{id}', user.id), user.accessToken)
      assert.equal(response.statusCode, 200, response.body)
      const page: EventPage = response.json()
      const types = page.items.map((event) => event.type)
      assert.ok(types.includes('user.registered'), types.join(','))
      assert.ok(types.includes('user.login_succeeded'), types.join(','))
      for (const event of page.items) {
        assert.deepEqual(Object.keys(event).sort(), [
          'actor_id',
          'at',
          'data',
          'id',
          'ip',
          'session_id',
          'type',
          'user_agent',
          'user_id',
        ])
        assert.equal(event.user_id, user.id)
      }
      assert.ok(!response.body.includes(user.password))
      assert.ok(!response.body.includes(user.refreshToken))
      assert.ok(!response.body.includes(user.sessionToken))
    })

    it(`${path}: another user's events are 403, an admin reads anyone's`, async () => {
      const victim = await signUp(t.app)
      const other = await signUp(t.app)
      const forbidden = await get(path.replace('{id}', victim.id), other.accessToken)
      assert.equal(forbidden.statusCode, 403)
      assert.equal(json(forbidden)['code'], 'forbidden')
      const asAdmin = await get(path.replace('{id}', victim.id), admin.accessToken)
      assert.equal(asAdmin.statusCode, 200)
      assert.ok(asAdmin.json<EventPage>().items.length > 0)
      assert.equal(
        (await t.app.inject({ method: 'GET', url: path.replace('{id}', victim.id) })).statusCode,
        401,
      )
    })
  }

  it('/audit filters by type and user_id', async () => {
    const user = await signUp(t.app)
    const response = await get(
      `/audit?type=user.login_succeeded&user_id=${user.id}`,
      admin.accessToken,
    )
    assert.equal(response.statusCode, 200, response.body)
    const page: EventPage = response.json()
    assert.equal(page.items.length, 1)
    assert.equal(page.items[0]?.type, 'user.login_succeeded')
    assert.equal(page.items[0]?.user_id, user.id)
  })

  it('/audit filters by since and until', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString()
    const none: EventPage = (await get(`/audit?since=${future}`, admin.accessToken)).json()
    assert.equal(none.items.length, 0)
    const past: EventPage = (await get(`/audit?until=${future}&limit=5`, admin.accessToken)).json()
    assert.ok(past.items.length > 0)
    const old = '2000-01-01T00:00:00Z'
    const before2000: EventPage = (await get(`/audit?until=${old}`, admin.accessToken)).json()
    assert.equal(before2000.items.length, 0)
  })

  it('/audit pages with limit and cursor, newest first, without repeats', async () => {
    await signUp(t.app)
    const seen: string[] = []
    const times: number[] = []
    let cursor: string | null = null
    for (let pages = 0; pages < 200; pages++) {
      const url: string =
        cursor === null ? '/audit?limit=3' : `/audit?limit=3&cursor=${encodeURIComponent(cursor)}`
      const response = await get(url, admin.accessToken)
      assert.equal(response.statusCode, 200)
      const page: EventPage = response.json()
      assert.ok(page.items.length <= 3)
      seen.push(...page.items.map((event) => event.id))
      times.push(...page.items.map((event) => Date.parse(event.at)))
      cursor = page.next_cursor
      if (cursor === null) break
    }
    assert.equal(cursor, null, 'paging ends')
    assert.ok(seen.length > 6)
    assert.equal(new Set(seen).size, seen.length)
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    )
  })

  it('records where a request came from (ip, truncated user agent)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      headers: { 'user-agent': 'U'.repeat(2000) },
      payload: { email: `ua-${Date.now()}@example.com`, password: 'violet-harbour-lantern-1987' },
    })
    assert.equal(response.statusCode, 201)
    const id = String(json(response)['id'])
    const page: EventPage = (
      await get(`/audit?user_id=${id}&type=user.registered`, admin.accessToken)
    ).json()
    assert.equal(page.items[0]?.ip, '127.0.0.1')
    assert.equal(page.items[0]?.user_agent?.length, 512)
  })

  for (const query of [
    'type=user.hacked',
    'since=yesterday',
    'until=2024-02-31T00:00:00Z',
    'limit=-1',
    'user_id=a&user_id=b',
  ]) {
    it(`/audit?${query} answers 422`, async () => {
      const response = await get(`/audit?${query}`, admin.accessToken)
      assert.equal(response.statusCode, 422, response.body)
    })
  }
})
