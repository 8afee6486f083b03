// An Express app that embeds Latchkey: the JSON API under /auth-api (mounted before any body
// parser), and routes of its own guarded by `requireUser` / `requireRole`.
//
//   LATCHKEY_SECRET=$(openssl rand -base64 32) npm start
import express from 'express'
import { createLatchkey } from 'latchkey'
import { createLatchkeyAPIHandler, requireRole, requireUser } from 'latchkey/express'

const port = Number(process.env.PORT ?? 3002)
const secret = process.env.LATCHKEY_SECRET
if (secret === undefined) throw new Error('set LATCHKEY_SECRET (openssl rand -base64 32)')

const latchkey = await createLatchkey({
  databaseUrl: process.env.DATABASE_URL ?? 'sqlite:./data/app.db',
  secret,
  publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${port}/auth-api`,
  passwordHashThreads: 1,
  settings: { rateLimit: process.env.RATE_LIMIT !== 'off' },
})
const api = await createLatchkeyAPIHandler({ ...latchkey, prefix: '/auth-api' })

const app = express()
app.use(api.handler)
app.use(express.json())

app.get('/', (_req, res) => {
  res.json({ hello: 'anyone' })
})
app.get('/hello', requireUser(latchkey.auth), (req, res) => {
  res.json({ hello: req.user.email })
})
app.get('/admin/stats', requireUser(latchkey.auth), requireRole('admin'), async (_req, res) => {
  res.json({ users: (await latchkey.auth.listAllUsers({ limit: 100 })).items.length })
})

const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  console.log(`example listening on ${port}`)
})
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    // Stop accepting, let in-flight requests finish, then close the inner API and the pools.
    server.close(() => void api.close().then(() => latchkey.close()))
    server.closeIdleConnections()
  })
}
