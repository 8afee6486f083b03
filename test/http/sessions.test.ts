import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  bearer,
  cookieHeaders,
  json,
  login,
  makeApp,
  sessionSetCookie,
  signUp,
  type TestApp,
} from '../helpers/app.ts'

interface SessionJSON {
  id: string
  current: boolean
  created_at: string
  last_seen_at: string
  expires_at: string
  ip: string | null
  user_agent: string | null
}

describe('GET /auth/sessions and DELETE /auth/sessions/{id}', () => {
  let t: TestApp
  before(async () => {
    t = await makeApp({ SESSION_POLICY: 'multiple' })
  })
  after(async () => {
    await t.close()
  })

  async function list(token: string): Promise<SessionJSON[]> {
    const response = await t.app.inject({
      method: 'GET',
      url: '/auth/sessions',
      headers: bearer(token),
    })
    assert.equal(response.statusCode, 200)
    return response.json()
  }

  it('lists the caller’s sessions with the contract’s fields and marks the current one', async () => {
    const user = await signUp(t.app)
    const second = await login(t.app, user.email, user.password)
    const sessions = await list(second.accessToken)
    assert.equal(sessions.length, 2)
    for (const session of sessions) {
      assert.deepEqual(Object.keys(session).sort(), [
        'created_at',
        'current',
        'expires_at',
        'id',
        'ip',
        'last_seen_at',
        'user_agent',
      ])
    }
    assert.equal(sessions.filter((session) => session.current).length, 1)
    const body = JSON.stringify(sessions)
    assert.ok(
      !body.includes(user.sessionToken.split('.')[1] ?? '-'),
      'no session secret in the list',
    )
  })

  it('ends one of the caller’s other sessions', async () => {
    const user = await signUp(t.app)
    const second = await login(t.app, user.email, user.password)
    const target = (await list(second.accessToken)).find((session) => !session.current)
    assert.ok(target !== undefined)
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/auth/sessions/${target.id}`,
      headers: bearer(second.accessToken),
    })
    assert.equal(response.statusCode, 204)
    const ended = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(user.accessToken),
    })
    assert.equal(ended.statusCode, 401)
    assert.equal((await list(second.accessToken)).length, 1)
  })

  it('answers 404 for another user’s session and for an unknown id, and leaves it alive', async () => {
    const victim = await signUp(t.app)
    const attacker = await signUp(t.app)
    const victimSession = (await list(victim.accessToken))[0]
    assert.ok(victimSession !== undefined)
    for (const id of [victimSession.id, 'no-such-session']) {
      const response = await t.app.inject({
        method: 'DELETE',
        url: `/auth/sessions/${id}`,
        headers: bearer(attacker.accessToken),
      })
      assert.equal(response.statusCode, 404)
      assert.equal(json(response)['code'], 'not_found')
    }
    const alive = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: bearer(victim.accessToken),
    })
    assert.equal(alive.statusCode, 200)
  })

  it('clears the cookie when the cookie’s own session is deleted', async () => {
    const user = await signUp(t.app)
    const current = (await list(user.accessToken)).find((session) => session.current)
    assert.ok(current !== undefined)
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/auth/sessions/${current.id}`,
      headers: cookieHeaders(user.sessionToken),
    })
    assert.equal(response.statusCode, 204)
    assert.match(sessionSetCookie(response) ?? '', /Max-Age=0/)
  })

  it('answers 401 without credentials', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/auth/sessions' })).statusCode, 401)
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: '/auth/sessions/x' })).statusCode,
      401,
    )
  })
})
