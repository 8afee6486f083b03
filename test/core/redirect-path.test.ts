// SEC-REDIR-01: the one `next` rule, as core (social login) and the page routes use it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sameSitePath } from '../../src/core/redirect-path.ts'
import { safeNextPath } from '../../src/pages/next-path.ts'

const CASES: [string, string][] = [
  ['/secure', '/secure'],
  ['/secure?tab=1#x', '/secure?tab=1#x'],
  ['https://evil.com', '/'],
  ['//evil.com', '/'],
  ['/\\evil.com', '/'],
  ['/\t/evil.com', '/'],
  ['javascript:alert(1)', '/'],
  ['evil.com', '/'],
  ['/..//evil.com', '/'],
  ['/%2F%2Fevil.com', '/%2F%2Fevil.com'],
  ['', '/'],
]

describe('OAuth next: same-site paths only', () => {
  it('refuses every off-site form and keeps local paths', () => {
    for (const [raw, expected] of CASES) assert.equal(sameSitePath(raw), expected, raw)
  })

  it('agrees with the pages’ rule', () => {
    for (const [raw] of CASES) assert.equal(sameSitePath(raw), safeNextPath(raw), raw)
  })
})
