import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config/env.ts'
import { loadOrCreateSecret } from '../../src/config/secret-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'latchkey-secret-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('loadOrCreateSecret', () => {
  it('creates 32 random bytes in a private file (parents created) and reuses them', async () => {
    const file = join(dir, 'nested', 'deeper', 'latchkey.secret')
    const config = loadConfig({ SECRET_KEY_FILE: file })
    const first = await loadOrCreateSecret(config)
    assert.equal(first.length, 32)
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(statSync(join(dir, 'nested')).mode & 0o077, 0)
    assert.deepEqual(await loadOrCreateSecret(config), first)
    assert.match(readFileSync(file, 'utf8'), /^[A-Za-z0-9_-]{43}\n$/)
  })

  it('lets concurrent first starts agree on one secret', async () => {
    const config = loadConfig({ SECRET_KEY_FILE: join(dir, 'race', 'latchkey.secret') })
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret(config)))
    for (const secret of secrets) assert.deepEqual(secret, secrets[0])
  })

  it('prefers SECRET_KEY and then touches no file', async () => {
    const file = join(dir, 'unused.secret')
    const config = loadConfig({ SECRET_KEY: 'cd'.repeat(32), SECRET_KEY_FILE: file })
    assert.deepEqual(await loadOrCreateSecret(config), new Uint8Array(32).fill(0xcd))
    assert.throws(() => statSync(file), /ENOENT/)
  })

  it('refuses to invent a secret in production on a shared database', async () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://auth.example.com',
      DATABASE_URL: 'postgres://db/latchkey',
      SECRET_KEY_FILE: join(dir, 'never.secret'),
    })
    await assert.rejects(loadOrCreateSecret(config), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.variable, 'SECRET_KEY')
      assert.ok(!error.message.includes('\n'))
      return true
    })
  })

  it('still generates one in production on SQLite (a single node)', async () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://auth.example.com',
      SECRET_KEY_FILE: join(dir, 'prod-sqlite.secret'),
    })
    assert.equal((await loadOrCreateSecret(config)).length, 32)
  })

  it('refuses a damaged secret file rather than replacing it', async () => {
    const file = join(dir, 'damaged.secret')
    writeFileSync(file, 'too short\n')
    const config = loadConfig({ SECRET_KEY_FILE: file })
    await assert.rejects(loadOrCreateSecret(config), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.variable, 'SECRET_KEY_FILE')
      assert.ok(!error.message.includes('too short'))
      return true
    })
  })
})
