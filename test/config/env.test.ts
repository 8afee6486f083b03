import assert from 'node:assert/strict'
import { availableParallelism } from 'node:os'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config/env.ts'

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`)
    return error
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`)
}

describe('loadConfig defaults', () => {
  it('serves with no configuration at all', () => {
    const config = loadConfig({})
    assert.equal(config.port, 3000)
    assert.equal(config.host, 'localhost')
    assert.equal(config.databaseUrl, 'sqlite:./data/latchkey.db')
    assert.equal(config.redisUrl, null)
    assert.equal(config.secretKey, null)
    assert.equal(config.secretKeyFile, './data/latchkey.secret')
    assert.equal(config.auditLogFile, null)
    assert.equal(config.logLevel, 'info')
    assert.equal(config.trustProxy, false)
    assert.equal(config.passwordHashThreads, availableParallelism())
    assert.equal(config.passwordHashMaxQueue, 64 * availableParallelism())
    assert.deepEqual(config.http, {
      publicUrl: 'http://localhost:3000',
      https: false,
      corsOrigins: [],
      bodyLimitBytes: 65_536,
      production: false,
    })
    assert.deepEqual(config.auth, {
      issuer: 'http://localhost:3000',
      audience: 'http://localhost:3000',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 7 * 86_400,
      sessionIdleTimeoutSeconds: 7 * 86_400,
      sessionMaxAgeSeconds: 30 * 86_400,
      refreshReuseGraceSeconds: 10,
      sessionPolicy: { kind: 'single' },
      passwordMinLength: 15,
      passwordMaxLength: 128,
      profileFields: [],
      requireEmailVerification: false,
      emailVerificationTtlSeconds: 86_400,
      passwordResetTtlSeconds: 1800,
      rateLimit: true,
      loginThrottle: { freeAttempts: 5, baseDelaySeconds: 1, maxDelaySeconds: 900 },
    })
  })

  it('follows PORT in the default PUBLIC_URL and treats blank values as unset', () => {
    const config = loadConfig({ PORT: '8080', REDIS_URL: '', LOG_LEVEL: '  ' })
    assert.equal(config.http.publicUrl, 'http://localhost:8080')
    assert.equal(config.redisUrl, null)
    assert.equal(config.logLevel, 'info')
  })

  it('reads every variable it is given', () => {
    const config = loadConfig({
      PORT: '4000',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://auth.example.com/',
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://latchkey@db/latchkey',
      REDIS_URL: 'redis://cache:6379',
      SECRET_KEY: 'a'.repeat(64),
      AUDIT_LOG_FILE: '/var/log/latchkey/audit.jsonl',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      CORS_ORIGINS: 'https://app.example.com',
      BODY_LIMIT: '131072',
      PASSWORD_HASH_THREADS: '3',
      RATE_LIMIT: 'off',
      REQUIRE_EMAIL_VERIFICATION: 'true',
      PASSWORD_MIN_LENGTH: '12',
      PASSWORD_MAX_LENGTH: '256',
    })
    assert.equal(config.port, 4000)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.http.publicUrl, 'https://auth.example.com')
    assert.equal(config.http.https, true)
    assert.equal(config.http.production, true)
    assert.equal(config.auth.issuer, 'https://auth.example.com')
    assert.equal(config.redisUrl, 'redis://cache:6379')
    assert.equal(config.secretKey?.length, 32)
    assert.deepEqual(config.trustProxy, ['10.0.0.0/8', '127.0.0.1'])
    assert.deepEqual(config.http.corsOrigins, ['https://app.example.com'])
    assert.equal(config.http.bodyLimitBytes, 131_072)
    assert.equal(config.passwordHashMaxQueue, 192)
    assert.equal(config.auth.rateLimit, false)
    assert.equal(config.auth.requireEmailVerification, true)
    assert.equal(config.auth.passwordMinLength, 12)
    assert.equal(config.auth.passwordMaxLength, 256)
  })
})

describe('loadConfig refusals', () => {
  const cases: [variable: string, value: string][] = [
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['HOST', 'a b'],
    ['PUBLIC_URL', 'not a url'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['PUBLIC_URL', 'https://example.com/?a=1'],
    ['DATABASE_URL', 'oracle://db'],
    ['REDIS_URL', 'http://cache'],
    ['SECRET_KEY', 'short'],
    ['SECRET_KEY', 'not base64 at all!'],
    ['LOG_LEVEL', 'loud'],
    ['SESSION_POLICY', 'many'],
    ['SESSION_POLICY', 'multiple:0'],
    ['SESSION_POLICY', 'single:2'],
    ['ACCESS_TOKEN_TTL', '15x'],
    ['ACCESS_TOKEN_TTL', '2d'],
    ['REFRESH_TOKEN_TTL', '1.5h'],
    ['SESSION_IDLE_TIMEOUT', '-1'],
    ['SESSION_MAX_AGE', '0'],
    ['REFRESH_REUSE_GRACE', '1h'],
    ['RATE_LIMIT', 'maybe'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '*'],
    ['TRUST_PROXY', '0.0.0.0/0'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['PASSWORD_MIN_LENGTH', '7'],
    ['PASSWORD_MIN_LENGTH', '129'],
    ['PASSWORD_MAX_LENGTH', '63'],
    ['PROFILE_FIELDS', 'company:date'],
    ['PROFILE_FIELDS', 'Company:string'],
    ['PROFILE_FIELDS', 'a:string,a:number'],
    ['PROFILE_FIELDS', '[{"name":"age","type":"number","maxLength":3}]'],
    ['PROFILE_FIELDS', '[oops'],
    ['REQUIRE_EMAIL_VERIFICATION', 'sometimes'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['BODY_LIMIT', '64kb'],
    ['PASSWORD_HASH_THREADS', '0'],
    ['PASSWORD_HASH_MAX_QUEUE', 'lots'],
    ['LOGIN_THROTTLE_FREE_ATTEMPTS', '0'],
    ['LOGIN_THROTTLE_BASE_DELAY', '0'],
    ['LOGIN_THROTTLE_MAX_DELAY', '2d'],
  ]
  for (const [variable, value] of cases) {
    it(`${variable}=${JSON.stringify(value)} stops the start with one line naming it`, () => {
      const error = refusal({ [variable]: value })
      assert.equal(error.variable, variable)
      assert.ok(error.message.startsWith(`${variable}: `), error.message)
      assert.ok(!error.message.includes('\n'), error.message)
    })
  }

  it('says what was expected and what it got', () => {
    assert.equal(refusal({ PORT: 'abc' }).message, 'PORT: expected an integer 1-65535, got "abc"')
  })

  it('never echoes a secret or a credential', () => {
    const secret = refusal({ SECRET_KEY: 'c2hvcnQtc2VjcmV0' })
    assert.ok(!secret.message.includes('c2hvcnQtc2VjcmV0'), secret.message)
    const database = refusal({ DATABASE_URL: 'http://admin:hunter2@db/x' })
    assert.ok(!database.message.includes('hunter2'), database.message)
  })

  it('refuses a maximum login delay below the base delay', () => {
    const error = refusal({ LOGIN_THROTTLE_BASE_DELAY: '10m', LOGIN_THROTTLE_MAX_DELAY: '5m' })
    assert.equal(error.variable, 'LOGIN_THROTTLE_MAX_DELAY')
  })

  it('refuses plain http for a public host in production, but not for loopback', () => {
    const error = refusal({ NODE_ENV: 'production', PUBLIC_URL: 'http://auth.example.com' })
    assert.equal(error.variable, 'PUBLIC_URL')
    assert.equal(
      loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3000' }).http.production,
      true,
    )
  })
})

describe('durations', () => {
  const seconds = (value: string): number =>
    loadConfig({ ACCESS_TOKEN_TTL: value }).auth.accessTokenTtlSeconds
  it('are seconds, or a number with s, m, h or d', () => {
    assert.equal(seconds('900'), 900)
    assert.equal(seconds('45s'), 45)
    assert.equal(seconds('15m'), 900)
    assert.equal(seconds('2h'), 7200)
    assert.equal(seconds('1d'), 86_400)
    assert.equal(seconds('10M'), 600)
  })
  it('apply to every duration variable', () => {
    const config = loadConfig({
      REFRESH_TOKEN_TTL: '14d',
      SESSION_IDLE_TIMEOUT: '12h',
      SESSION_MAX_AGE: '90d',
      REFRESH_REUSE_GRACE: '0',
      LOGIN_THROTTLE_BASE_DELAY: '2s',
      LOGIN_THROTTLE_MAX_DELAY: '1h',
    })
    assert.equal(config.auth.refreshTokenTtlSeconds, 14 * 86_400)
    assert.equal(config.auth.sessionIdleTimeoutSeconds, 12 * 3600)
    assert.equal(config.auth.sessionMaxAgeSeconds, 90 * 86_400)
    assert.equal(config.auth.refreshReuseGraceSeconds, 0)
    assert.deepEqual(config.auth.loginThrottle, {
      freeAttempts: 5,
      baseDelaySeconds: 2,
      maxDelaySeconds: 3600,
    })
  })
})

describe('SESSION_POLICY', () => {
  const policy = (value: string): unknown =>
    loadConfig({ SESSION_POLICY: value }).auth.sessionPolicy
  it('accepts single, multiple and multiple:N', () => {
    assert.deepEqual(policy('single'), { kind: 'single' })
    assert.deepEqual(policy('multiple'), { kind: 'multiple', max: null })
    assert.deepEqual(policy('multiple:5'), { kind: 'multiple', max: 5 })
    assert.deepEqual(policy('Multiple:2'), { kind: 'multiple', max: 2 })
  })
})

describe('values with structure', () => {
  it('SECRET_KEY accepts hex, base64 and base64url of 32+ bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 250))
    for (const text of [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
    ]) {
      assert.deepEqual(loadConfig({ SECRET_KEY: text }).secretKey, new Uint8Array(bytes))
    }
  })

  it('TRUST_PROXY accepts off, addresses, CIDRs and named ranges', () => {
    assert.equal(loadConfig({ TRUST_PROXY: 'off' }).trustProxy, false)
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, ::1, fd00::/8' }).trustProxy, [
      'loopback',
      '::1',
      'fd00::/8',
    ])
  })

  it('PROFILE_FIELDS accepts the compact form and JSON', () => {
    assert.deepEqual(
      loadConfig({
        PROFILE_FIELDS: 'company:string, age:number?, newsletter:boolean?, bio:string(500)?',
      }).auth.profileFields,
      [
        { name: 'company', type: 'string', required: true },
        { name: 'age', type: 'number', required: false },
        { name: 'newsletter', type: 'boolean', required: false },
        { name: 'bio', type: 'string', required: false, maxLength: 500 },
      ],
    )
    assert.deepEqual(
      loadConfig({
        PROFILE_FIELDS:
          '[{"name":"company","type":"string","required":true,"maxLength":100},{"name":"age","type":"number"}]',
      }).auth.profileFields,
      [
        { name: 'company', type: 'string', required: true, maxLength: 100 },
        { name: 'age', type: 'number', required: false },
      ],
    )
  })
})

describe('the parsed configuration', () => {
  it('is frozen all the way down', () => {
    const config = loadConfig({ PROFILE_FIELDS: 'company:string', TRUST_PROXY: '127.0.0.1' })
    for (const part of [
      config,
      config.http,
      config.http.corsOrigins,
      config.auth,
      config.auth.loginThrottle,
      config.auth.sessionPolicy,
      config.auth.profileFields,
      config.auth.profileFields[0],
      config.trustProxy,
    ]) {
      assert.ok(Object.isFrozen(part))
    }
    assert.equal(Reflect.set(config, 'port', 1), false)
    assert.equal(Reflect.set(config.auth, 'passwordMinLength', 1), false)
    assert.equal(config.auth.passwordMinLength, 15)
  })
})
