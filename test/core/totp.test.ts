// SEC-MFA-01/02: the TOTP algorithm against RFC 6238 Appendix B, kept as data, and the window.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { Secret, TOTP, URI } from 'otpauth'
import {
  generateTOTPSecret,
  matchTOTPStep,
  STANDARD_TOTP,
  timeStepAt,
  totpCodeAt,
  totpProvisioningURL,
  type TOTPAlgorithm,
} from '../../src/core/mfa/totp.ts'
import { currentTOTPCode } from '../../src/cli/commands/otp.ts'
import { generateRecoveryCodes, normalizeRecoveryCode } from '../../src/core/mfa/recovery-codes.ts'

interface Vector {
  readonly time: number
  readonly step: string
  readonly totp: string
  readonly mode: TOTPAlgorithm
}

interface VectorFile {
  readonly periodSeconds: number
  readonly digits: number
  readonly secrets: Readonly<Record<TOTPAlgorithm, string>>
  readonly vectors: readonly Vector[]
}

const data = JSON.parse(
  readFileSync(new URL('../vectors/rfc6238-totp.json', import.meta.url), 'utf8'),
) as VectorFile // test data we keep ourselves

function secretFor(mode: TOTPAlgorithm): Secret {
  return Secret.fromLatin1(data.secrets[mode])
}

describe('TOTP (RFC 6238)', () => {
  it('reads all 18 Appendix B vectors', () => {
    assert.equal(data.vectors.length, 18)
  })

  for (const vector of data.vectors) {
    it(`Appendix B: ${vector.mode} at T=${vector.time} gives ${vector.totp}`, () => {
      const at = new Date(vector.time * 1000)
      const params = { algorithm: vector.mode, digits: data.digits, periodSeconds: 30 }
      assert.equal(timeStepAt(at, params), Number.parseInt(vector.step, 16))
      assert.equal(totpCodeAt(secretFor(vector.mode), at, params), vector.totp)
    })
  }

  it('provisions SHA-1, 6 digits, 30 s: the low 6 digits of the same values', () => {
    const base32 = secretFor('SHA1').base32
    for (const vector of data.vectors.filter((v) => v.mode === 'SHA1')) {
      const at = new Date(vector.time * 1000)
      assert.equal(totpCodeAt(secretFor('SHA1'), at), vector.totp.slice(-6))
      assert.equal(matchTOTPStep(base32, vector.totp.slice(-6), at), Math.floor(vector.time / 30))
    }
    assert.deepEqual(STANDARD_TOTP, { algorithm: 'SHA1', digits: 6, periodSeconds: 30 })
  })

  it('accepts one step of drift either way and no more (SEC-MFA-02)', () => {
    const base32 = generateTOTPSecret()
    const secret = Secret.fromBase32(base32)
    const now = new Date('2026-03-01T12:00:10Z')
    const step = timeStepAt(now)
    const codeAt = (offsetSteps: number): string =>
      totpCodeAt(secret, new Date(now.getTime() + offsetSteps * 30_000))
    assert.equal(matchTOTPStep(base32, codeAt(0), now), step)
    assert.equal(matchTOTPStep(base32, codeAt(-1), now), step - 1)
    assert.equal(matchTOTPStep(base32, codeAt(1), now), step + 1)
    // Two steps out matches nothing (unless the code collides with a window step, ~3 in 10^6).
    for (const offset of [-2, 2]) {
      const code = codeAt(offset)
      if ([-1, 0, 1].some((o) => codeAt(o) === code)) continue
      assert.equal(matchTOTPStep(base32, code, now), null)
    }
    assert.equal(matchTOTPStep(base32, 'abcdef', now), null)
    assert.equal(matchTOTPStep(base32, '', now), null)
  })

  it('makes 160-bit base32 secrets and a standard otpauth:// URL', () => {
    const secret = generateTOTPSecret()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.notEqual(generateTOTPSecret(), secret)
    const url = totpProvisioningURL(secret, 'auth.example.com', 'ada@example.com')
    const parsed = URI.parse(url)
    assert.ok(parsed instanceof TOTP)
    assert.equal(parsed.secret.base32, secret)
    assert.equal(parsed.issuer, 'auth.example.com')
    assert.equal(parsed.label, 'ada@example.com')
    assert.equal(parsed.algorithm, 'SHA1')
    assert.equal(parsed.digits, 6)
    assert.equal(parsed.period, 30)
  })
})

describe('latchkey otp SECRET', () => {
  it('prints the very code the server accepts', () => {
    const secret = generateTOTPSecret()
    for (const seconds of [59, 1111111109, 1234567890, 2000000000, Date.now() / 1000]) {
      const at = new Date(Math.floor(seconds) * 1000)
      const printed = currentTOTPCode(secret, at.getTime())
      assert.equal(printed, totpCodeAt(Secret.fromBase32(secret), at))
      assert.equal(matchTOTPStep(secret, printed, at), timeStepAt(at))
    }
  })
})

describe('recovery codes', () => {
  it('are ten distinct xxxxx-xxxxx codes that normalise back to themselves', () => {
    const codes = generateRecoveryCodes()
    assert.equal(codes.length, 10)
    assert.equal(new Set(codes).size, 10)
    for (const code of codes) {
      assert.match(code, /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/)
      assert.equal(normalizeRecoveryCode(code), code.replace('-', ''))
      assert.equal(normalizeRecoveryCode(` ${code.toUpperCase()} `), code.replace('-', ''))
    }
    assert.equal(normalizeRecoveryCode('0123456789'), '0123456789')
    assert.equal(normalizeRecoveryCode('O1234-5678L'), '0123456781')
    assert.equal(normalizeRecoveryCode('too-short'), null)
    assert.equal(normalizeRecoveryCode('uuuuu-uuuuu'), null, 'u is not in the alphabet')
  })
})
