import Fastify from 'fastify'
import { randomUUID } from 'node:crypto'
const v = new Set((process.env.VARIANT ?? '').split(','))
const app = Fastify({ logger: false, genReqId: v.has('reqid') ? () => randomUUID() : undefined })
const body = {"id":"a68f6b4b-381e-428b-a657-e5718436b15a","email":"a@b.test","username":null,"name":null,"role":"user","email_verified":false,"mfa_enabled":false,"disabled":false,"created_at":"2026-11-21T11:09:59.034Z","updated_at":"2026-11-21T11:09:59.034Z","profile":{}}
const headers = {
 'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'",
 'x-content-type-options': 'nosniff','referrer-policy': 'no-referrer','cross-origin-opener-policy': 'same-origin','cross-origin-resource-policy': 'same-origin','x-frame-options': 'DENY','cache-control': 'no-store'}
if (v.has('headers')) app.addHook('onSend', (req, reply, payload, done) => { reply.header('x-request-id', req.id); for (const k in headers) reply.header(k, headers[k]); done(null, payload) })
const map = new Map([['tok', body]])
const opts = {}
if (v.has('hook')) opts.onRequest = async (req, reply) => { const a = req.headers.authorization; if (!a) return reply.code(401).send(); req.user = map.get('tok') }
if (v.has('schema')) opts.schema = { response: { 200: { type: 'object', properties: Object.fromEntries(Object.keys(body).map(k => [k, k === 'profile' ? { type: 'object', additionalProperties: true } : { type: ['string', 'boolean', 'null'] }])) } } }
app.get('/hello', opts, async (req) => v.has('hook') ? req.user : body)
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.on('SIGINT', () => process.exit(0))
