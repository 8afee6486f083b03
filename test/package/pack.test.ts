// What `npm publish` would ship: the built library with its type declarations, the CLI, the docs
// a user reads first; no tests, no TypeScript sources, no data, no secrets. Runs the real
// `npm pack --dry-run`, which builds through the `prepare` script as publishing does.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const run = promisify(execFile)

interface PackedFile {
  readonly path: string
}

interface PackageJSON {
  readonly files: readonly string[]
  readonly exports: Record<string, string | { readonly types: string; readonly default: string }>
}

describe('npm pack', () => {
  it('ships dist with declarations for every export, README and CHANGELOG, and nothing else', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    })
    const report = JSON.parse(stdout.slice(stdout.indexOf('['))) as { files: PackedFile[] }[]
    const paths = new Set(report[0]?.files.map((f) => f.path))
    assert.ok(paths.size > 0, 'npm pack listed no files')

    for (const required of ['README.md', 'CHANGELOG.md', 'package.json', 'bin/latchkey.js']) {
      assert.ok(paths.has(required), `${required} is missing`)
    }
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PackageJSON
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue // ./package.json
      for (const file of [target.types, target.default]) {
        assert.ok(paths.has(file.replace(/^\.\//, '')), `${subpath}: ${file} is not packed`)
      }
    }
    for (const path of paths) {
      assert.doesNotMatch(path, /^(src|test|bench|data|examples|scripts|node_modules)\//, path)
      assert.doesNotMatch(path, /\.test\.|(^|\/)\.env|\.secret$|\.db$|\.tgz$/, path)
      assert.ok(!path.endsWith('.ts') || path.endsWith('.d.ts'), `TypeScript source ${path}`)
    }
  })
})
