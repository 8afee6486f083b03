// The `latchkey` command as an operator runs it: a real process on a temporary SQLite database.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { hash as argon2Hash } from '@node-rs/argon2'
import { hashSync as bcryptHash } from 'bcryptjs'
import { Database } from '../../src/storage/sql/dialects/sqlite-driver.ts'
import { Secret, TOTP } from 'otpauth'
import { makeTestServer, type TestServer } from '../helpers/app.ts'

const BIN = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url))
const SECRET_KEY = 'cd'.repeat(32)
const PASSWORD = 'violet-harbour-lantern-1987'
// @node-rs/argon2 declares Algorithm as a const enum, which verbatimModuleSyntax cannot import.
const ARGON2ID = 2

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'))
const databaseFile = join(dir, 'latchkey.db')
after(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the CLI from source in an empty directory, so no developer .env leaks in. */
function latchkey(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    LATCHKEY_FROM_SOURCE: '1',
    DATABASE_URL: `sqlite:${databaseFile}`,
    SECRET_KEY,
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_THREADS: '1',
    ...options.env,
  }
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BIN, ...args], {
    cwd: dir,
    env,
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdin.end(options.input ?? '')
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function storedHash(email: string): string {
  const db = new Database(databaseFile, { readonly: true })
  try {
    const row: unknown = db.prepare('SELECT password_hash FROM users WHERE email = ?').get(email)
    assert.ok(typeof row === 'object' && row !== null && 'password_hash' in row)
    return String(row.password_hash)
  } finally {
    db.close()
  }
}

describe('latchkey migrate', () => {
  it('lists pending migrations, applies them, and then reports the schema current', async () => {
    const status = await latchkey(['migrate', 'status'])
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /^pending {2}0001-initial$/m)
    assert.match(status.stdout, /migration\(s\) pending$/m)

    const up = await latchkey(['migrate', 'up'])
    assert.equal(up.code, 0, up.stderr)
    assert.match(up.stdout, /^applied {2}0001-initial {2}\(applied now\)$/m)
    assert.match(up.stdout, /^schema is up to date$/m)

    const again = await latchkey(['migrate'])
    assert.equal(again.code, 0, again.stderr)
    assert.doesNotMatch(again.stdout, /pending|applied now/)
  })
})

describe('latchkey user', () => {
  it('bootstraps an admin, lists users and changes a role', async () => {
    const created = await latchkey([
      'user',
      'create',
      '--email',
      'Root@Example.COM',
      '--password',
      PASSWORD,
      '--role',
      'admin',
      '--username',
      'root',
    ])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /^created user \S+ root@example\.com \(admin\)$/m)

    const listed = await latchkey(['user', 'list'])
    assert.equal(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, /^ID\tEMAIL\tROLE/)
    assert.match(listed.stdout, /\troot@example\.com\tadmin\troot\tyes\tno\tno\t/)

    const demoted = await latchkey(['user', 'set-role', 'root@example.com', 'user'])
    assert.equal(demoted.code, 0, demoted.stderr)
    assert.match(demoted.stdout, /now has role user$/m)
    assert.match((await latchkey(['user', 'list'])).stdout, /\troot@example\.com\tuser\t/)
  })

  it('takes the password from LATCHKEY_PASSWORD or standard input', async () => {
    const fromEnv = await latchkey(['user', 'create', '--email', 'env@example.com'], {
      env: { LATCHKEY_PASSWORD: PASSWORD },
    })
    assert.equal(fromEnv.code, 0, fromEnv.stderr)
    const fromStdin = await latchkey(
      ['user', 'create', '--email', 'stdin@example.com', '--password-stdin'],
      { input: `${PASSWORD}\n` },
    )
    assert.equal(fromStdin.code, 0, fromStdin.stderr)
  })

  it('applies the password policy and says why in one line (exit 1)', async () => {
    const weak = await latchkey([
      'user',
      'create',
      '--email',
      'weak@example.com',
      '--password',
      'short',
    ])
    assert.equal(weak.code, 1)
    assert.match(weak.stderr, /^latchkey: validation_failed/)
    assert.equal(weak.stderr.trim().split('\n').length, 1)
    const taken = await latchkey([
      'user',
      'create',
      '--email',
      'env@example.com',
      '--password',
      PASSWORD,
    ])
    assert.equal(taken.code, 1)
    assert.match(taken.stderr, /^latchkey: email_taken/)
  })

  it('refuses an unknown account in set-role', async () => {
    const run = await latchkey(['user', 'set-role', 'nobody@example.com', 'admin'])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /^latchkey: /)
  })
})

describe('usage errors exit 2 with the usage text', () => {
  const cases: string[][] = [
    [],
    ['frobnicate'],
    ['serve', '--bogus'],
    ['migrate', 'sideways'],
    ['user', 'create', '--password', PASSWORD],
    ['user', 'set-role', 'root@example.com', 'superuser'],
    ['users', 'import'],
    ['otp'],
  ]
  for (const args of cases) {
    it(`latchkey ${args.join(' ')}`, async () => {
      const run = await latchkey(args)
      assert.equal(run.code, 2, run.stderr)
      assert.match(run.stderr, /^latchkey: .+\n\nUsage: latchkey/)
    })
  }

  it('--help prints the usage and exits 0', async () => {
    const run = await latchkey(['--help'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^Usage: latchkey <command>/)
  })

  it('a bad configuration value is one line naming it (exit 1)', async () => {
    const run = await latchkey(['migrate', 'status'], { env: { PASSWORD_MIN_LENGTH: '6' } })
    assert.equal(run.code, 1)
    assert.equal(run.stderr, 'latchkey: PASSWORD_MIN_LENGTH: expected an integer 8-128, got "6"\n')
  })
})

describe('latchkey users import', () => {
  let server: TestServer

  before(async () => {
    const weakArgon2 = await argon2Hash(PASSWORD, {
      algorithm: ARGON2ID,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    })
    const lines = [
      JSON.stringify({
        email: 'bcrypt@example.com',
        password_hash: bcryptHash(PASSWORD, 4),
        name: 'From bcrypt',
      }),
      JSON.stringify({
        email: 'argon@example.com',
        password_hash: weakArgon2,
        email_verified: true,
      }),
      '',
      JSON.stringify({
        email: 'plain@example.com',
        password: PASSWORD,
        username: 'plain',
        role: 'admin',
      }),
      'this is not json',
      JSON.stringify({ email: 'bcrypt@example.com', password: PASSWORD }),
      JSON.stringify({ email: 'typo@example.com', passwordHash: 'x' }),
      JSON.stringify({ email: 'bad-hash@example.com', password_hash: 'md5:abc' }),
    ]
    writeFileSync(join(dir, 'users.jsonl'), `${lines.join('\n')}\n`)
  })

  after(async () => {
    await server?.cleanup()
  })

  it('imports good lines and reports each bad one by line number (exit 1)', async () => {
    const run = await latchkey(['users', 'import', 'users.jsonl'])
    assert.equal(run.code, 1, run.stderr)
    assert.equal(run.stdout, 'imported 3, failed 4\n')
    const reported = run.stderr.trim().split('\n')
    assert.deepEqual(
      reported.map((line) => line.split(':')[0]),
      ['line 5', 'line 6', 'line 7', 'line 8'],
    )
    assert.match(reported[1] ?? '', /email_taken/)
    assert.match(reported[2] ?? '', /unknown field\(s\): passwordHash/)
    assert.doesNotMatch(run.stderr, new RegExp(PASSWORD))
  })

  it('imported bcrypt and argon2 hashes verify at login and are upgraded to argon2id', async () => {
    // The same database and SECRET_KEY the CLI used, served the way `latchkey serve` would.
    server = await makeTestServer({ DATABASE_URL: `sqlite:${databaseFile}`, SECRET_KEY })
    for (const email of ['bcrypt@example.com', 'argon@example.com', 'plain@example.com']) {
      const before = storedHash(email)
      const response = await server.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email, password: PASSWORD },
      })
      assert.equal(response.statusCode, 200, `${email}: ${response.body}`)
      const after = storedHash(email)
      assert.match(after, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, email)
      if (email !== 'plain@example.com') assert.notEqual(after, before, `${email} was not upgraded`)
    }
    const wrong = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'bcrypt@example.com', password: `${PASSWORD}!` },
    })
    assert.equal(wrong.statusCode, 401)
  })
})

describe('latchkey otp', () => {
  it('prints the current RFC 6238 code of a base32 secret', async () => {
    const secret = 'JBSWY3DPEHPK3PXP'
    const totp = new TOTP({
      secret: Secret.fromBase32(secret),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    })
    const startedAt = Date.now()
    const run = await latchkey(['otp', secret])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^\d{6}\n$/)
    // The step may roll over while the process starts: accept the codes of the steps it spanned.
    const candidates = new Set([
      totp.generate({ timestamp: startedAt }),
      totp.generate({ timestamp: Date.now() }),
    ])
    assert.ok(
      candidates.has(run.stdout.trim()),
      `${run.stdout.trim()} not in ${[...candidates].join(', ')}`,
    )
  })

  it('refuses a secret that is not base32', async () => {
    const run = await latchkey(['otp', 'not-base32!'])
    assert.equal(run.code, 2)
  })
})
