// A Fastify app that embeds Latchkey: the JSON API under /auth-api, and routes of its own that
// require a signed-in user (bearer token or session cookie) or the admin role.
//
//   LATCHKEY_SECRET=$(openssl rand -base64 32) npm start
//   curl -X POST localhost:3001/auth-api/auth/register -H 'content-type: application/json' \
//     -d '{"email":"ada@example.com","password":"a long enough passphrase"}'
import Fastify from 'fastify'
import { createLatchkey } from 'latchkey'
import { latchkeyPlugin, principalOf, requireRole, requireUser } from 'latchkey/fastify'

const port = Number(process.env.PORT ?? 3001)
const secret = process.env.LATCHKEY_SECRET
if (secret === undefined) throw new Error('set LATCHKEY_SECRET (openssl rand -base64 32)')

const latchkey = await createLatchkey({
  databaseUrl: process.env.DATABASE_URL ?? 'sqlite:./data/app.db',
  secret,
  // The API's own URL: the issuer and audience of its access tokens.
  publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${port}/auth-api`,
  passwordHashThreads: 1,
  settings: { rateLimit: process.env.RATE_LIMIT !== 'off' },
})

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } })
await app.register(latchkeyPlugin, { ...latchkey, prefix: '/auth-api' })
app.addHook('onClose', () => latchkey.close())

app.get('/', async () => ({ hello: 'anyone' }))
app.get('/hello', { onRequest: requireUser(latchkey.auth) }, async (request) => {
  const { user } = principalOf(request)
  return { hello: user.email }
})
app.get(
  '/admin/stats',
  { onRequest: [requireUser(latchkey.auth), requireRole('admin')] },
  async () => ({ users: (await latchkey.auth.listAllUsers({ limit: 100 })).items.length }),
)

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => void app.close())
}
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' })
console.log(`example listening on ${port}`)
