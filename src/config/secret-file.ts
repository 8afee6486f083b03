// The instance secret (HKDF input for every derived key). With no SECRET_KEY it is generated once
// and kept in SECRET_KEY_FILE, so a restart keeps sessions and tokens valid.
import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Config } from './config.js'
import { ConfigError } from './config-error.js'
import { isSQLiteURL } from './parse-network.js'
import { MIN_SECRET_BYTES, parseSecretKey } from './parse-secret-key.js'

type SecretConfig = Pick<Config, 'secretKey' | 'secretKeyFile' | 'databaseUrl'> & {
  readonly http: Pick<Config['http'], 'production'>
}

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code
}

async function readSecretFile(path: string): Promise<Uint8Array | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    throw new ConfigError('SECRET_KEY_FILE', `cannot read ${path}: ${String(error)}`)
  }
  try {
    return parseSecretKey('SECRET_KEY_FILE', text)
  } catch {
    throw new ConfigError(
      'SECRET_KEY_FILE',
      `${path} does not hold ${MIN_SECRET_BYTES}+ bytes as base64 or hex; restore it or delete it to start afresh (existing sessions end)`,
    )
  }
}

/**
 * Returns SECRET_KEY, or the secret kept in SECRET_KEY_FILE, creating that file (mode 0600,
 * parent folders created) with 32 random bytes on first start.
 *
 * In production on a database other than SQLite, a missing SECRET_KEY stops the start: several
 * nodes sharing that database would each invent their own secret and refuse each other's tokens.
 */
export async function loadOrCreateSecret(config: SecretConfig): Promise<Uint8Array> {
  if (config.secretKey !== null) return config.secretKey
  if (config.http.production && !isSQLiteURL(config.databaseUrl)) {
    throw new ConfigError(
      'SECRET_KEY',
      'required when NODE_ENV=production with a shared database (DATABASE_URL is not SQLite); set the same value on every node, e.g. from `openssl rand -base64 32`',
    )
  }
  const path = resolve(config.secretKeyFile)
  const existing = await readSecretFile(path)
  if (existing !== null) return existing

  const secret = new Uint8Array(randomBytes(MIN_SECRET_BYTES))
  // Written whole to a private temporary file, then linked into place: link() fails if another
  // process got there first, so two first starts agree on one secret and none reads half a file.
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    await writeFile(temporary, `${Buffer.from(secret).toString('base64url')}\n`, { mode: 0o600 })
    await link(temporary, path)
    return secret
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) {
      const winner = await readSecretFile(path)
      if (winner !== null) return winner
    }
    throw new ConfigError('SECRET_KEY_FILE', `cannot create ${path}: ${String(error)}`)
  } finally {
    await rm(temporary, { force: true })
  }
}
