// The layer rules of design.md, checked by reading every import in src/ (static, type-only,
// re-exports and dynamic import()). ESLint's no-restricted-imports says the same while you type;
// this test is the one that cannot be switched off with a comment.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))
const DRIVERS = ['fastify', 'kysely', 'pg', 'mysql2', 'better-sqlite3', 'ioredis', 'nodemailer']
const DB_DRIVERS = DRIVERS.filter((name) => name !== 'fastify')

/** An import as the rules see it: a package name, or a path inside src/ such as `core/ports.ts`. */
type Target =
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }

function resolveTarget(importer: string, specifier: string): Target {
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/')
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
    return { kind: 'package', name }
  }
  const path = posix
    .normalize(posix.join(posix.dirname(importer), specifier))
    .replace(/\.js$/, '.ts')
  return { kind: 'file', path }
}

const layerOf = (path: string): string => path.split('/')[0] ?? path

function inLayers(target: Target, layers: readonly string[]): boolean {
  return target.kind === 'file' && layers.includes(layerOf(target.path))
}

function isDriver(target: Target, drivers: readonly string[]): boolean {
  if (target.kind !== 'package') return false
  const fastifyScope = drivers.includes('fastify') && target.name.startsWith('@fastify/')
  return drivers.includes(target.name) || fastifyScope
}

// Everything outside the domain and its adapters: entry points, integrations and the web layers.
const OUTER_LAYERS = [
  'http',
  'pages',
  'views',
  'config',
  'cli',
  'mail',
  'oauth',
  'fastify',
  'express',
  'verify',
  'client',
  'server.ts',
  'index.ts',
  'create-latchkey.ts',
]

/** The reason an import breaks a rule, or null. `importer` is relative to src/. */
function violation(importer: string, specifier: string): string | null {
  const target = resolveTarget(importer, specifier)
  switch (layerOf(importer)) {
    case 'core':
    case 'crypto': // core imports crypto, so crypto must keep core's rules too
      if (isDriver(target, DRIVERS)) return 'core knows no framework, database or mail driver'
      if (isDriver(target, ['openid-client']))
        return 'openid-client is a network client: it lives in src/oauth/, behind core/oauth/provider.ts'
      if (inLayers(target, ['storage', ...OUTER_LAYERS]))
        return 'core imports only core/, crypto/ and types'
      return null
    case 'storage':
      if (
        target.kind === 'file' &&
        layerOf(target.path) === 'core' &&
        !/^core\/(ports|errors|types)\.ts$/.test(target.path)
      ) {
        return 'storage may import only core/ports, core/errors and core/types'
      }
      if (inLayers(target, OUTER_LAYERS)) return 'storage is an adapter and imports no other layer'
      return null
    case 'http':
    case 'pages':
      if (inLayers(target, ['storage', 'cli', 'server.ts']))
        return 'http/ and pages/ reach storage only through core'
      if (isDriver(target, DB_DRIVERS)) return 'http/ and pages/ hold no database driver'
      return null
    case 'oauth': // provider adapters on openid-client: the port in, nothing of the web or the store
      if (isDriver(target, DRIVERS))
        return 'oauth/ is a network adapter: no framework or database driver'
      if (
        target.kind === 'file' &&
        layerOf(target.path) === 'core' &&
        target.path !== 'core/oauth/provider.ts'
      ) {
        return 'oauth/ may import only core/oauth/provider.ts from core'
      }
      if (inLayers(target, ['storage', 'http', 'pages', 'views', 'cli', 'mail', 'server.ts']))
        return 'oauth/ is an adapter and imports no other layer'
      return null
    case 'views':
      if (target.kind === 'package' || layerOf(target.path) !== 'views')
        return 'views/ imports nothing but views/'
      return null
    default:
      return null // cli/, config/, server.ts: the composition root may wire anything
  }
}

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    if (entry.isDirectory()) return sourceFiles(`${dir}/${entry.name}`, relative)
    return entry.name.endsWith('.ts') ? [relative] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(`${SRC}/${file}`, 'utf8')
  // The compiler's own scanner: sees `import type`, `export … from` and `import()`, not comments.
  return ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName)
}

describe('layer boundaries (design.md)', () => {
  const files = sourceFiles(SRC)

  it('finds the source tree', () => {
    for (const layer of ['core', 'crypto', 'storage', 'http', 'cli', 'config']) {
      assert.ok(
        files.some((file) => layerOf(file) === layer),
        `no files found in src/${layer}`,
      )
    }
  })

  it('holds for every import in src/', () => {
    const broken = files.flatMap((file) =>
      importsOf(file).flatMap((specifier) => {
        const reason = violation(file, specifier)
        return reason === null ? [] : [`src/${file} imports ${specifier}: ${reason}`]
      }),
    )
    assert.deepEqual(broken, [])
  })

  it('would catch each kind of violation', () => {
    const refused: [string, string][] = [
      ['core/oauth/oidc-login.ts', 'openid-client'],
      ['oauth/oidc.ts', '../core/users/login.js'],
      ['oauth/oidc.ts', '../http/cookies.js'],
      ['oauth/github.ts', '../storage/sql/store.js'],
      ['oauth/github.ts', 'fastify'],
      ['core/users/login.ts', 'fastify'],
      ['core/users/login.ts', 'kysely'],
      ['core/auth.ts', '../storage/sql/open-store.js'],
      ['core/users/login.ts', '../../http/plugin.js'],
      ['core/auth.ts', '../config/env.js'],
      ['core/auth.ts', '../views/layout.js'],
      ['core/auth.ts', '../oauth/oidc.js'],
      ['core/auth.ts', '../mail/smtp-mailer.js'],
      ['crypto/random.ts', '../storage/sql/store.js'],
      ['storage/sql/users.ts', '../../core/users/register.js'],
      ['storage/sql/users.ts', '../../http/problem.js'],
      ['http/routes/auth.ts', '../../storage/sql/open-store.js'],
      ['http/plugin.ts', 'better-sqlite3'],
      ['pages/login.ts', '../storage/sql/store.js'],
      ['views/pages/login.ts', '../../core/types.js'],
      ['views/layout.ts', 'fastify'],
    ]
    for (const [importer, specifier] of refused) {
      assert.notEqual(violation(importer, specifier), null, `${importer} → ${specifier}`)
    }
    const allowed: [string, string][] = [
      ['oauth/oidc.ts', '../core/oauth/provider.js'],
      ['oauth/oidc.ts', 'openid-client'],
      ['core/oauth/oidc-login.ts', '../../crypto/random.js'],
      ['core/auth.ts', '../crypto/random.js'],
      ['core/users/login.ts', 'jose'],
      ['core/users/login.ts', 'node:crypto'],
      ['storage/sql/users.ts', '../../core/ports.js'],
      ['storage/sql/users.ts', '../../core/types.js'],
      ['storage/sql/users.ts', '../../core/errors.js'],
      ['http/plugin.ts', '../core/auth-api.js'],
      ['http/plugin.ts', 'fastify'],
      ['views/pages/login.ts', '../layout.js'],
      ['server.ts', './storage/sql/open-store.js'],
      ['cli/main.ts', '../storage/sql/open-store.js'],
    ]
    for (const [importer, specifier] of allowed) {
      assert.equal(violation(importer, specifier), null, `${importer} → ${specifier}`)
    }
  })
})
