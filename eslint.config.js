// Lint: typescript-eslint with type information, plus the layer rules of design.md. The same
// layer rules are checked by test/boundaries.test.ts, which also sees dynamic import().
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments/configs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const DRIVERS = ['fastify', 'kysely', 'pg', 'mysql2', 'better-sqlite3', 'ioredis', 'nodemailer']

/** A no-restricted-imports rule from regular expressions over the import specifier. */
function restrictImports(...rules) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: rules.map(([regex, message]) => ({ regex, message })) },
    ],
  }
}

const coreRules = restrictImports(
  [
    `^(${DRIVERS.join('|')}|@fastify/.*)(/.*)?$`,
    'core knows no framework, database or mail driver (design.md).',
  ],
  [
    '(^|/)(http|storage|views|pages|config|cli|mail)/',
    'core imports only core/, crypto/ and types (design.md).',
  ],
  ['(^|/)server\\.(js|ts)$', 'core imports only core/, crypto/ and types (design.md).'],
)

const storageRules = restrictImports(
  [
    '(^|/)core/(?!(ports|errors|types)\\.(js|ts)$)',
    'storage may import only core/ports, core/errors and core/types.',
  ],
  ['(^|/)(http|views|pages|config|cli|mail)/', 'storage is an adapter: it imports no other layer.'],
  ['(^|/)server\\.(js|ts)$', 'storage is an adapter: it imports no other layer.'],
)

const webRules = restrictImports(
  ['(^|/)(storage|cli)/', 'http/ and pages/ reach storage only through core (design.md).'],
  [
    '^(kysely|pg|mysql2|better-sqlite3|ioredis|nodemailer)(/.*)?$',
    'http/ and pages/ hold no driver.',
  ],
  ['(^|/)server\\.(js|ts)$', 'only the composition root wires adapters.'],
)

/** views/ imports nothing but views/: no package, not even a built-in, and no path out of it. */
function viewRules(depth) {
  return restrictImports(
    [
      `^(\\.\\./){${depth + 1},}`,
      'views/ imports nothing but views/ (pure functions of their model).',
    ],
    ['^(?!\\.)', 'views/ imports nothing but views/ (pure functions of their model).'],
  )
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/', 'test-results/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  eslintComments.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@eslint-community/eslint-comments/require-description': 'error',
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Async functions without await are how a sync body satisfies an async port.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'error' },
  },
  // core imports crypto/, so crypto/ keeps core's rules too.
  { files: ['src/core/**/*.ts', 'src/crypto/**/*.ts'], rules: coreRules },
  { files: ['src/storage/**/*.ts'], rules: storageRules },
  { files: ['src/http/**/*.ts', 'src/pages/**/*.ts'], rules: webRules },
  { files: ['src/views/*.ts'], rules: viewRules(0) },
  { files: ['src/views/*/*.ts'], rules: viewRules(1) },
  { files: ['src/views/*/*/*.ts'], rules: viewRules(2) },
  {
    // Plain JavaScript (this file, bin/, scripts/) is outside the TypeScript program.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
)
