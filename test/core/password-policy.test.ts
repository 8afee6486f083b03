import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkPassword } from '../../src/core/users/password-policy.ts'

const limits = { minLength: 15, maxLength: 128 }

describe('password policy (NIST SP 800-63B rev. 4)', () => {
  it('counts length in code points, not UTF-16 units or bytes', () => {
    const fourteenEmoji = '🔑'.repeat(14) // 28 UTF-16 units, 56 bytes, 14 code points
    assert.match(checkPassword(fourteenEmoji, limits, {})?.message ?? '', /at least 15/)
    assert.equal(checkPassword('🔑'.repeat(7) + 'ab-cd-ef-g', limits, {}), null)
  })

  it('accepts 64 and up to the maximum, refuses beyond it without truncating', () => {
    const base = 'tangerine-oscillator-marmalade-'
    const long = (n: number): string => base.repeat(10).slice(0, n)
    assert.equal(checkPassword(long(64), limits, {}), null)
    assert.equal(checkPassword(long(128), limits, {}), null)
    assert.match(checkPassword(long(129), limits, {})?.message ?? '', /at most 128/)
  })

  it('has no composition rules: spaces and any characters are fine', () => {
    assert.equal(checkPassword('all lower case words here', limits, {}), null)
    assert.equal(checkPassword('  leading and trailing  ', limits, {}), null)
  })

  it('refuses common passwords as a whole, with a reason', () => {
    for (const common of [
      'passwordpassword',
      'PasswordPassword',
      '1qaz2wsx3edc4rfv',
      'aaaaaaaaaaaaaaaa',
      'abcabcabcabcabcabc',
    ]) {
      assert.match(checkPassword(common, limits, {})?.message ?? 'accepted', /too common/, common)
    }
    // A common word inside a longer passphrase is not a whole-password match.
    assert.equal(checkPassword('password is not my passphrase', limits, {}), null)
  })

  it('refuses context-specific passwords: the email, its local part, the username, the name', () => {
    const context = {
      email: 'marguerite.yourcenar@example.org',
      username: 'hadrianmemoirs1951',
      name: 'Marguerite Yourcenar',
    }
    for (const pw of [
      'marguerite.yourcenar@example.org',
      'Marguerite.Yourcenar',
      'HadrianMemoirs1951',
      'margueriteyourcenar',
    ]) {
      assert.match(
        checkPassword(pw, limits, context)?.message ?? 'accepted',
        /email address, username or name/,
        pw,
      )
    }
  })

  it('uses the configured floor', () => {
    assert.equal(checkPassword('tulip-oak-42', { minLength: 8, maxLength: 64 }, {}), null)
    assert.notEqual(checkPassword('tulip-oak-42', limits, {}), null)
  })
})
