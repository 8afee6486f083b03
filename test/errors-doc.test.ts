import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { statusByCode } from '../src/http/problem.ts'

// The catalogue kept honest in both directions (Fastify's test/internals/errors.test.js): the
// AuthErrorCode union, the status table and docs/errors.md must name the same codes.

function codesInUnion(): string[] {
  const source = readFileSync(new URL('../src/core/errors.ts', import.meta.url), 'utf8')
  const union = /export type AuthErrorCode =([\s\S]*?)\n\n/.exec(source)?.[1]
  assert.ok(union !== undefined, 'AuthErrorCode union found in src/core/errors.ts')
  return [...union.matchAll(/\|\s*'([a-z_]+)'/g)].map((match) => match[1] ?? '')
}

function rowsInDoc(): Map<string, number> {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
  const rows = new Map<string, number>()
  for (const line of doc.split('\n')) {
    const match = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|(.+)\|(.+)\|\s*$/.exec(line)
    if (match === null) continue
    const [, code = '', status = '', when = '', what = ''] = match
    assert.ok(!rows.has(code), `${code} has one row`)
    assert.ok(
      when.trim().length > 10 && what.trim().length > 10,
      `${code} says when and what to do`,
    )
    rows.set(code, Number(status))
  }
  return rows
}

describe('docs/errors.md ⇔ AuthErrorCode ⇔ statusByCode', () => {
  const union = codesInUnion()
  const rows = rowsInDoc()
  const statuses: Readonly<Record<string, number>> = statusByCode

  it('reads a non-trivial union and table', () => {
    assert.ok(union.length >= 15, `parsed ${union.length} codes`)
    assert.equal(new Set(union).size, union.length)
  })

  it('documents every code with the status the server answers', () => {
    for (const code of union) {
      assert.ok(rows.has(code), `docs/errors.md has a row for ${code}`)
      assert.equal(rows.get(code), statuses[code], `${code}: doc status = statusByCode`)
    }
  })

  it('documents no code that does not exist', () => {
    for (const code of rows.keys()) assert.ok(union.includes(code), `${code} is an AuthErrorCode`)
    assert.deepEqual(
      Object.keys(statuses).sort(),
      [...union].sort(),
      'statusByCode covers exactly the union',
    )
  })
})
