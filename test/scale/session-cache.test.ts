// Core with a session cache, Redis's or SQLite's in-process one: a warm session check makes no
// store call at all, and every revocation path of core is refused at once afterwards, on the
// node that revoked and on another node (two createAuth "nodes" over one SQLite file, in this
// process, each with its own connection; with Redis they share it too).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import { loadConfig } from '../../src/config/env.ts'
import type { Auth, Credential, IssuedTokens } from '../../src/core/auth-api.ts'
import { createAuth } from '../../src/core/auth.ts'
import { createPasswordHasher } from '../../src/crypto/password-hash.ts'
import { latchkeyPlugin } from '../../src/http/plugin.ts'
import { MemoryRateLimiter } from '../../src/storage/memory/rate-limiter.ts'
import type { SessionCache } from '../../src/core/ports.ts'
import { openRedisAdapters } from '../../src/storage/redis/open-redis.ts'
import { openSqlStore } from '../../src/storage/sql/open-store.ts'
import type { SqlStore } from '../../src/storage/sql/store.ts'
import { redisUrl, storeSkipReason } from '../helpers/services.ts'
import { countingStore, type StoreCalls } from './counting-store.ts'

const redisSkip = await storeSkipReason('redis')
const req = { ip: '127.0.0.1', userAgent: 'node-test' }
const PASSWORD = 'violet-harbour-lantern-1987'
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined }

interface Node {
  readonly auth: Auth
  readonly calls: StoreCalls
  readonly store: SqlStore
}

/** Which cache a node gets: Redis's (shared, pub/sub) or SQLite's own (`pragma data_version`). */
type CacheKind = 'redis' | 'sqlite'

function configFor(dir: string, env: Record<string, string>): ReturnType<typeof loadConfig> {
  return loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'shared.db')}`,
    SECRET_KEY: 'ef'.repeat(32),
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'silent',
    SESSION_POLICY: 'multiple',
    REFRESH_REUSE_GRACE: '0s',
    ...env,
  })
}

async function openCache(kind: CacheKind, inner: SqlStore, prefix: string): Promise<SessionCache> {
  if (kind === 'sqlite') {
    const cache = inner.processSessionCache()
    assert.ok(cache !== null, 'a SQLite store offers an in-process session cache')
    return cache
  }
  const redis = await openRedisAdapters(redisUrl(), { logger: silent, keyPrefix: prefix })
  await redis.rateLimiter.close() // this test uses the memory limiter
  return redis.sessionCache
}

async function openNode(dir: string, prefix: string, kind: CacheKind): Promise<Node> {
  const config = configFor(dir, {})
  const inner = await openSqlStore(config.databaseUrl, { migrate: true })
  const { store, calls } = countingStore(inner)
  const auth = await createAuth({
    settings: config.auth,
    store,
    hasher: createPasswordHasher({ threads: 1, maxQueue: 100 }),
    rateLimiter: new MemoryRateLimiter(),
    sessionCache: await openCache(kind, inner, prefix),
    secret: new Uint8Array(32).fill(9),
    logger: silent,
  })
  return { auth, calls, store: inner }
}

let counter = 0
async function signUp(
  node: Node,
  role: 'user' | 'admin' = 'user',
): Promise<{ id: string; email: string }> {
  counter += 1
  const email = `cache-${counter}-${randomBytes(3).toString('hex')}@example.com`
  const user = await node.auth.createUser({ email, password: PASSWORD, role }, req)
  return { id: user.id, email }
}

async function logIn(node: Node, email: string): Promise<IssuedTokens> {
  const result = await node.auth.login({ email, password: PASSWORD }, req)
  assert.equal(result.kind, 'tokens')
  return result.tokens
}

const bearer = (tokens: IssuedTokens): Credential => ({ kind: 'bearer', token: tokens.accessToken })

async function assertRefused(node: Node, tokens: IssuedTokens, why: string): Promise<void> {
  await assert.rejects(node.auth.authenticate(bearer(tokens)), (error: unknown) => {
    assert.ok(error instanceof Error && 'code' in error, why)
    assert.ok(['session_revoked', 'not_authenticated'].includes(String(error.code)), why)
    return true
  })
}

async function isRefused(node: Node, tokens: IssuedTokens): Promise<boolean> {
  return node.auth.authenticate(bearer(tokens)).then(
    () => false,
    () => true,
  )
}

/**
 * With Redis the other node hears of a revocation by pub/sub, a few hundred microseconds after
 * the revoking node has answered (bench/revocation-propagation.ts measures it); this only bounds
 * the wait. SQLite's cache must see it on the very next check: no waiting at all.
 */
async function eventually(
  kind: CacheKind,
  check: () => Promise<boolean>,
  what: string,
): Promise<void> {
  if (kind === 'sqlite') {
    assert.ok(await check(), `${what}: not at once`)
    return
  }
  const deadline = Date.now() + 1_000
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what}: not within 1 s`)
    await sleep(1)
  }
}

for (const kind of ['redis', 'sqlite'] as const) {
  describe(
    `session cache in core (${kind})`,
    { skip: kind === 'redis' ? redisSkip : false },
    () => {
      let dir: string
      let a: Node
      let b: Node
      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'latchkey-cache-'))
        const prefix = `test-${randomBytes(5).toString('hex')}:`
        a = await openNode(dir, prefix, kind)
        b = await openNode(dir, prefix, kind)
      })
      after(async () => {
        await a.auth.close()
        await b.auth.close()
        rmSync(dir, { recursive: true, force: true })
      })

      it('a warm session check makes no store call', async () => {
        const user = await signUp(a)
        const tokens = await logIn(a, user.email)
        await a.auth.authenticate(bearer(tokens)) // cold: one lookup fills the cache
        a.calls.length = 0
        const principal = await a.auth.authenticate(bearer(tokens))
        assert.equal(principal.user.id, user.id)
        await a.auth.authenticate({ kind: 'cookie', token: tokens.sessionToken ?? '' })
        assert.deepEqual(a.calls, [])
        // Another node reads Redis, not the database, too.
        if (kind === 'redis') {
          b.calls.length = 0
          await b.auth.authenticate(bearer(tokens))
          assert.deepEqual(b.calls, [])
        }
      })

      it('a wrong cookie secret is still refused from a warm cache', async () => {
        const user = await signUp(a)
        const tokens = await logIn(a, user.email)
        await a.auth.authenticate(bearer(tokens))
        const [id] = (tokens.sessionToken ?? '').split('.')
        const forged = { kind: 'cookie', token: `${id}.${'x'.repeat(43)}` } as const
        await assert.rejects(a.auth.authenticate(forged))
        assert.equal(a.auth.authenticateWarm(forged), null)
      })

      it('answers a warm check without a promise only where the cache can vouch at once', async () => {
        const user = await signUp(a)
        const tokens = await logIn(a, user.email)
        const cookie = { kind: 'cookie', token: tokens.sessionToken ?? '' } as const
        await a.auth.authenticate(bearer(tokens)) // fills the cache
        a.calls.length = 0
        const warm = a.auth.authenticateWarm(bearer(tokens))
        const warmCookie = a.auth.authenticateWarm(cookie)
        assert.deepEqual(a.calls, [])
        if (kind === 'sqlite') {
          assert.equal(warm?.user.id, user.id)
          assert.equal(warm?.via, 'bearer')
          assert.equal(warmCookie?.session.id, tokens.session.id)
          assert.equal(warmCookie?.via, 'cookie')
        } else {
          // Redis's local hits must first let invalidations in flight arrive: never at once.
          assert.equal(warm, null)
          assert.equal(warmCookie, null)
        }
        // Garbage and tokens for other keys are left to `authenticate`, which refuses them.
        assert.equal(a.auth.authenticateWarm({ kind: 'bearer', token: 'x.y.z' }), null)
        assert.equal(a.auth.authenticateWarm({ kind: 'cookie', token: 'nonsense' }), null)
      })

      // Each revocation path of core, with the session warm on both nodes first.
      const paths: [
        string,
        (tokens: IssuedTokens, user: { id: string; email: string }) => Promise<void>,
      ][] = [
        ['logout', async (t) => b.auth.logout(await b.auth.authenticate(bearer(t)), req)],
        ['logout-all', async (t) => b.auth.logoutAll(await b.auth.authenticate(bearer(t)), req)],
        [
          'password change (other sessions)',
          async (_t, user) => {
            const other = await logIn(b, user.email)
            await b.auth.changePassword(
              await b.auth.authenticate(bearer(other)),
              { currentPassword: PASSWORD, newPassword: `${PASSWORD}-new` },
              req,
            )
          },
        ],
        [
          'role change (CLI set-role)',
          async (_t, user) => void (await b.auth.setRole(user.id, 'admin', req)),
        ],
        [
          'admin revoke-sessions',
          async (_t, user) => adminDo(async (p) => b.auth.revokeUserSessions(p, user.id, req)),
        ],
        [
          'admin disable (PATCH disabled)',
          async (_t, user) =>
            adminDo(
              async (p) => void (await b.auth.updateUser(p, user.id, { disabled: true }, req)),
            ),
        ],
        [
          'session delete',
          async (t, user) => {
            const other = await logIn(b, user.email)
            await b.auth.revokeSession(await b.auth.authenticate(bearer(other)), t.session.id, req)
          },
        ],
        [
          'refresh reuse',
          async (t) => {
            await b.auth.refresh(t.refreshToken, req)
            await sleep(5)
            // Presented again after the grace window (0 s here): theft, the whole session ends.
            await assert.rejects(b.auth.refresh(t.refreshToken, req))
          },
        ],
      ]

      async function adminDo(
        action: (principal: Awaited<ReturnType<Auth['authenticate']>>) => Promise<void>,
      ): Promise<void> {
        const admin = await signUp(b, 'admin')
        const tokens = await logIn(b, admin.email)
        await action(await b.auth.authenticate(bearer(tokens)))
      }

      for (const [name, revoke] of paths) {
        it(`refuses at once on every node after: ${name}`, async () => {
          const user = await signUp(a)
          const tokens = await logIn(a, user.email)
          await a.auth.authenticate(bearer(tokens))
          await b.auth.authenticate(bearer(tokens))
          if (kind === 'sqlite') assert.ok(a.auth.authenticateWarm(bearer(tokens)), 'warm first')
          await revoke(tokens, user)
          await assertRefused(b, tokens, `${name}, on the node that revoked`)
          await eventually(kind, () => isRefused(a, tokens), `${name}, on the other node`)
          await assertRefused(a, tokens, `${name}, on the other node, for good`)
          // The promise-free warm path never vouches for a revoked session either.
          assert.equal(
            a.auth.authenticateWarm(bearer(tokens)),
            null,
            `${name}: warm path, other node`,
          )
          assert.equal(b.auth.authenticateWarm(bearer(tokens)), null, `${name}: warm path, revoker`)
        })
      }

      // Redis hears only what core tells it; SQLite's cache also watches the file itself.
      if (kind === 'sqlite')
        it('sees a write made outside core by another connection at once (the CLI, raw SQL)', async () => {
          const user = await signUp(a)
          const tokens = await logIn(a, user.email)
          await a.auth.authenticate(bearer(tokens)) // warm
          a.calls.length = 0
          await a.auth.authenticate(bearer(tokens))
          assert.deepEqual(a.calls, [], 'served from the cache')
          // b's connection is another connection to the same file, as `latchkey` CLI's would be.
          await b.store.db
            .updateTable('users')
            .set({ disabled: 1 })
            .where('id', '=', user.id)
            .execute()
          await assertRefused(a, tokens, 'disabled by another connection')
          const other = await logIn(a, (await signUp(a)).email)
          await a.auth.authenticate(bearer(other))
          await b.store.db
            .updateTable('sessions')
            .set({ revoked_at: Date.now(), revoke_reason: 'admin' })
            .where('id', '=', other.session.id)
            .execute()
          await assertRefused(a, other, 'revoked by another connection')
        })

      it('a profile change is seen at once on every node (user invalidation)', async () => {
        const user = await signUp(a)
        const tokens = await logIn(a, user.email)
        await a.auth.authenticate(bearer(tokens))
        await b.auth.updateMe(await b.auth.authenticate(bearer(tokens)), { name: 'Renamed' }, req)
        assert.equal((await b.auth.authenticate(bearer(tokens))).user.name, 'Renamed')
        await eventually(
          kind,
          async () => (await a.auth.authenticate(bearer(tokens))).user.name === 'Renamed',
          'profile on the other node',
        )
      })

      it('serves /auth/me from the cache over HTTP: no store call on a warm request', async () => {
        const user = await signUp(a)
        const tokens = await logIn(a, user.email)
        const config = configFor(dir, {})
        const app = Fastify()
        await app.register(latchkeyPlugin, {
          auth: a.auth,
          http: config.http,
          rateLimiter: new MemoryRateLimiter(),
        })
        await app.ready()
        try {
          const me = (): Promise<{ statusCode: number }> =>
            app.inject({
              method: 'GET',
              url: '/auth/me',
              headers: { authorization: `Bearer ${tokens.accessToken}` },
            })
          assert.equal((await me()).statusCode, 200)
          a.calls.length = 0
          assert.equal((await me()).statusCode, 200)
          assert.deepEqual(a.calls, [])
        } finally {
          await app.close()
        }
      })
    },
  )
}
