#!/usr/bin/env node
// `npm test`: runs every test/**/*.test.ts with node's own runner (Node 20's --test takes no
// glob). Children use this same node binary (process.execPath), so `node@24 scripts/run-tests.mjs`
// tests on Node 24. The last line printed is the runner's summary; the exit code is the runner's.
//
//   npm test                      everything
//   npm test -- test/config       only files under the given paths
//   STORES=sqlite npm test        narrows the store suites (read by the tests themselves)
//   TEST_CONCURRENCY=2 npm test   files at once (default 1: database suites share services)
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path)
    return entry.name.endsWith('.test.ts') ? [path] : []
  })
}

const filters = process.argv.slice(2).map((arg) => resolve(arg))
const files = findTests(join(root, 'test'))
  .filter(
    (file) => filters.length === 0 || filters.some((f) => file === f || file.startsWith(`${f}/`)),
  )
  .map((file) => relative(process.cwd(), file))
  .sort()

if (files.length === 0) {
  console.error(
    `run-tests: no test files under ${filters.length === 0 ? 'test/' : filters.join(', ')}`,
  )
  process.exit(1)
}
for (const filter of filters) statSync(filter) // a mistyped path fails loudly rather than running less

const concurrency = process.env.TEST_CONCURRENCY ?? '1'
const timeoutMs = process.env.TEST_TIMEOUT_MS ?? '180000'
const child = spawn(
  process.execPath,
  [
    // Resolved from this script, so the run works from any working directory.
    '--import',
    import.meta.resolve('tsx'),
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${timeoutMs}`,
    ...files,
  ],
  { stdio: 'inherit' },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal === null ? 1 : 128)
})
