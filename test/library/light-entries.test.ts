// `latchkey/verify` and `latchkey/client` are meant for resource servers, browsers and edge
// functions: they must not drag in Fastify, a database driver or core. Checked on every runtime
// import (type-only imports vanish at build time and are allowed).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

/** The modules `file` imports at run time (value imports and re-exports), as written. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(SRC + file, 'utf8'), ts.ScriptTarget.ES2022)
  const found: string[] = []
  for (const statement of source.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      statement.importClause?.phaseModifier !== ts.SyntaxKind.TypeKeyword
    ) {
      const named = statement.importClause?.namedBindings
      const allTypes =
        named !== undefined &&
        ts.isNamedImports(named) &&
        statement.importClause?.name === undefined &&
        named.elements.every((e) => e.isTypeOnly)
      if (!allTypes && ts.isStringLiteral(statement.moduleSpecifier)) {
        found.push(statement.moduleSpecifier.text)
      }
    }
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const spec = statement.moduleSpecifier
      const named = statement.exportClause
      const allTypes =
        named !== undefined && ts.isNamedExports(named) && named.elements.every((e) => e.isTypeOnly)
      if (spec !== undefined && ts.isStringLiteral(spec) && !allTypes) found.push(spec.text)
    }
  }
  return found
}

/** Every file reachable from `entry` through runtime imports, and the packages they import. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop() ?? ''
    if (files.has(file)) continue
    files.add(file)
    for (const specifier of runtimeImports(file)) {
      if (!specifier.startsWith('.')) {
        packages.add(specifier)
        continue
      }
      queue.push(
        posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts'),
      )
    }
  }
  return { files, packages }
}

describe('light entries', () => {
  it('latchkey/verify needs only jose and its own folder', () => {
    const { files, packages } = closure('verify/index.ts')
    assert.deepEqual([...packages].sort(), ['jose'])
    for (const file of files) assert.match(file, /^verify\//)
  })

  it('latchkey/client needs nothing but fetch', () => {
    const { files, packages } = closure('client/index.ts')
    assert.deepEqual([...packages], [])
    for (const file of files) assert.match(file, /^client\//)
  })
})
