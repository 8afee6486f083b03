// The HTTP ceiling: a bare Fastify route answering a small JSON object, in its own process, like
// the server under test. Same framework, same machine, same load generator.
import Fastify from 'fastify'

const port = Number(process.env['PORT'] ?? '3098')
const app = Fastify({ logger: false })
app.get('/hello', async () => ({ id: 'c0ffee', email: 'bare@bench.test' }))
await app.listen({ port, host: '127.0.0.1' })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
