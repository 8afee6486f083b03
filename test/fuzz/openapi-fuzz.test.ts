// Property-based fuzzing from the OpenAPI document (SEC-INPUT-03: no input produces a 5xx). Every
// operation in GET /openapi.json gets generated requests: bodies that follow its JSON schema and
// bodies that do not (arbitrary JSON, wrong types, raw strings), odd path parameters, query
// strings and headers, unauthenticated and with user, admin and garbage credentials.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { bearer, makeApp, signUp, signUpAdmin, type TestApp } from '../helpers/app.ts'
import { fromSchema, type JsonSchema } from './schema-arbitrary.ts'

const RUNS = Number(process.env['FUZZ_RUNS'] ?? '300')
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

interface Operation {
  readonly method: (typeof METHODS)[number]
  readonly path: string
  readonly body: JsonSchema | undefined
}

interface OpenApiDocument {
  paths: Record<
    string,
    Partial<Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>
  >
}

function operations(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method]
      if (operation === undefined) return []
      const body = operation.requestBody?.content?.['application/json']?.schema
      return [{ method, path, body }]
    }),
  )
}

const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '%00',
    '%',
    '\u0000',
    'null',
    '-1',
    '1e309',
    '💥',
    '../../etc/passwd',
    'a'.repeat(3000),
  ),
)

const oddHeaders = fc.dictionary(
  fc.constantFrom(
    'content-type',
    'accept',
    'x-forwarded-for',
    'origin',
    'x-requested-with',
    'cookie',
    'accept-language',
    'if-none-match',
  ),
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      '*/*',
      'null',
      'http://evil.example',
      '__Host-latchkey_session=x.y',
    ),
    fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  ),
  { maxKeys: 3 },
)

describe('OpenAPI-driven fuzzing: no 5xx, no crash', () => {
  let t: TestApp
  let ops: Operation[]
  let credentials: Record<string, string>[]
  let ids: string[]

  before(async () => {
    t = await makeApp()
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' })
    assert.equal(response.statusCode, 200)
    ops = operations(response.json<OpenApiDocument>())
    assert.ok(ops.length >= 15, `found ${ops.length} operations`)
    const user = await signUp(t.app)
    const admin = await signUpAdmin(t)
    ids = [user.id, admin.id]
    credentials = [
      {},
      bearer(user.accessToken),
      bearer(admin.accessToken),
      bearer('eyJhbGciOiJub25lIn0.e30.'),
      { authorization: 'Basic Zm9vOmJhcg==' },
      { cookie: `__Host-latchkey_session=${user.sessionToken}`, 'x-requested-with': 'fetch' },
    ]
  })
  after(async () => {
    await t.close()
  })

  it(`answers every generated request below 500 (${RUNS} runs)`, async () => {
    const request = fc
      .record({
        op: fc.nat(),
        credential: fc.nat(),
        pathParam: fc.oneof(
          fc.nat().map((n) => `id:${n}`),
          oddString,
        ),
        query: fc.dictionary(fc.string({ maxLength: 8 }), oddString, { maxKeys: 3 }),
        headers: oddHeaders,
        bodyKind: fc.constantFrom('schema', 'json', 'string', 'none'),
        schemaSeed: fc.nat(),
        json: fc.jsonValue({ maxDepth: 3 }),
        raw: oddString,
      })
      .chain((r) => {
        const op = ops[r.op % ops.length]
        const schema = op?.body
        const conforming = schema === undefined ? fc.constant(undefined) : fromSchema(schema)
        return conforming.map((body) => ({ ...r, body }))
      })

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const op = ops[r.op % ops.length]
        if (op === undefined) return
        const param = r.pathParam.startsWith('id:')
          ? (ids[Number(r.pathParam.slice(3)) % ids.length] ?? '')
          : r.pathParam
        const url = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param))
        const options: InjectOptions = {
          method: op.method.toUpperCase(),
          url,
          query: r.query,
          headers: { ...r.headers, ...credentials[r.credential % credentials.length] },
        }
        if (op.method !== 'get') {
          if (r.bodyKind === 'schema' && r.body !== undefined)
            options.payload = JSON.stringify(r.body)
          else if (r.bodyKind === 'json') options.payload = JSON.stringify(r.json)
          else if (r.bodyKind === 'string') options.payload = r.raw
          if (options.payload !== undefined && r.headers['content-type'] === undefined) {
            options.headers = { ...options.headers, 'content-type': 'application/json' }
          }
        }
        const response = await t.app.inject(options)
        assert.ok(
          response.statusCode < 500,
          `${options.method} ${url} → ${response.statusCode} ${response.body.slice(0, 300)}`,
        )
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 50_000 },
    )
    // The server still answers after the storm of odd input.
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  })
})
