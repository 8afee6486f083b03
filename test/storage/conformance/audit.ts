import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuditEvent } from '../../../src/core/types.ts'
import type { ConformanceStore } from '../store-conformance.ts'
import { at, concurrently, fulfilled, newEvent, newUser, type StoreFixture } from './fixtures.ts'

async function appendEvents(store: ConformanceStore, count: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = []
  for (let i = 0; i < count; i += 1) {
    const event = newEvent({ at: at(i), data: { i } })
    await store.audit.append(event)
    events.push(event)
  }
  return events
}

export function describeAudit(fixture: StoreFixture): void {
  describe('audit log', () => {
    it('appends events and reads them back newest first', async () => {
      const { audit } = fixture.store
      const first = newEvent({
        type: 'user.registered',
        userId: 'u1',
        actorId: 'admin1',
        sessionId: 's1',
        ip: '2001:db8::1',
        userAgent: 'Mozilla/5.0 "quoted" \n newline',
        data: { b: 1, a: 'x', flag: true, none: null, text: 'ü 🚀' },
      })
      const second = newEvent({ at: at(1), ip: null, userAgent: null })
      await audit.append(first)
      await audit.append(second)
      const page = await audit.query({ limit: 10 })
      assert.deepEqual(page, { items: [second, first], nextCursor: null })
    })

    it('filters by type, user and time range (since inclusive, until exclusive)', async () => {
      const { audit } = fixture.store
      const a = newEvent({ at: at(0), type: 'user.registered', userId: 'u1' })
      const b = newEvent({ at: at(10), type: 'user.login_failed', userId: 'u1' })
      const c = newEvent({ at: at(20), type: 'user.login_failed', userId: 'u2' })
      for (const event of [a, b, c]) await audit.append(event)
      const ids = async (query: Parameters<typeof audit.query>[0]): Promise<string[]> =>
        (await audit.query(query)).items.map((e) => e.id)
      assert.deepEqual(await ids({ limit: 10, type: 'user.login_failed' }), [c.id, b.id])
      assert.deepEqual(await ids({ limit: 10, userId: 'u1' }), [b.id, a.id])
      assert.deepEqual(await ids({ limit: 10, since: at(10) }), [c.id, b.id])
      assert.deepEqual(await ids({ limit: 10, until: at(10) }), [a.id])
      assert.deepEqual(await ids({ limit: 10, since: at(5), until: at(15), userId: 'u1' }), [b.id])
      assert.deepEqual(await ids({ limit: 10, type: 'mfa.enabled' }), [])
    })

    it('pages with an opaque cursor and ends with nextCursor null', async () => {
      const { audit } = fixture.store
      const events = await appendEvents(fixture.store, 5)
      const seen: string[] = []
      let cursor: string | undefined
      let pages = 0
      for (;;) {
        const page = await audit.query({ limit: 2, ...(cursor ? { cursor } : {}) })
        pages += 1
        seen.push(...page.items.map((e) => e.id))
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      assert.equal(pages, 3)
      assert.deepEqual(seen, events.map((e) => e.id).reverse())
      const exact = await audit.query({ limit: 5 })
      assert.equal(exact.nextCursor, null)
    })

    it('verifies an intact chain, also after concurrent appends', async () => {
      const { audit } = fixture.store
      assert.deepEqual(await audit.verifyChain(), { ok: true, count: 0 })
      await appendEvents(fixture.store, 3)
      const results = await concurrently(20, (i) => audit.append(newEvent({ data: { i } })))
      assert.equal(fulfilled(results).length, 20)
      assert.deepEqual(await audit.verifyChain(), { ok: true, count: 23 })
      assert.equal((await audit.query({ limit: 100 })).items.length, 23)
    })

    it('appends several events in one call, in order, as one stretch of the chain', async () => {
      const { audit } = fixture.store
      await appendEvents(fixture.store, 1)
      const batch = [0, 1, 2].map((i) => newEvent({ at: at(10 + i), data: { batch: i } }))
      await audit.append(...batch)
      await audit.append()
      const page = await audit.query({ limit: 10 })
      assert.deepEqual(
        page.items.slice(0, 3).map((e) => e.id),
        batch.map((e) => e.id).reverse(),
      )
      assert.deepEqual(page.items.slice(0, 3), [...batch].reverse())
      assert.deepEqual(await audit.verifyChain(), { ok: true, count: 4 })
    })

    it('reports an edited event', async () => {
      const { audit, tamper } = fixture.store
      const events = await appendEvents(fixture.store, 4)
      const target = events[2]
      assert.ok(target)
      await tamper.editAuditData(target.id, '{"i":99}')
      const verdict = await audit.verifyChain()
      assert.equal(verdict.ok, false)
      assert.ok(!verdict.ok && verdict.brokenAtId === target.id)
      assert.equal(verdict.count, 2)
    })

    it('reports a deleted event at the event after it', async () => {
      const { audit, tamper } = fixture.store
      const events = await appendEvents(fixture.store, 4)
      const [, second, third] = events
      assert.ok(second && third)
      await tamper.deleteAuditEvent(second.id)
      const middle = await audit.verifyChain()
      assert.ok(!middle.ok && middle.brokenAtId === third.id, JSON.stringify(middle))
    })

    it('reports events cut from the end of the chain', async () => {
      const { audit, tamper } = fixture.store
      const events = await appendEvents(fixture.store, 3)
      const [, second, third] = events
      assert.ok(second && third)
      await tamper.deleteAuditEvent(third.id)
      const verdict = await audit.verifyChain()
      assert.ok(!verdict.ok && verdict.brokenAtId === second.id, JSON.stringify(verdict))
    })

    it('writes nothing, and keeps the chain whole, when the transaction rolls back', async () => {
      const store = fixture.store
      await appendEvents(store, 1)
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.create(newUser())
          await tx.audit.append(newEvent())
          throw new Error('boom')
        }),
        /boom/,
      )
      assert.equal((await store.audit.query({ limit: 10 })).items.length, 1)
      await store.audit.append(newEvent())
      assert.deepEqual(await store.audit.verifyChain(), { ok: true, count: 2 })
    })
  })
}
