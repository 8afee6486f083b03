// Lint: typescript-eslint with type information, plus the layer rules of design.md. The same
// layer rules are checked by test/boundaries.test.ts, which also sees dynamic import().
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments/configs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const DRIVERS = ['fastify', 'kysely', 'pg', 'mysql2', 'better-sqlite3', 'ioredis', 'nodemailer']
const DB_DRIVERS = DRIVERS.filter((name) => name !== 'fastify')
// Everything outside the domain and its adapters: the web layers, integrations and entry points.
const OUTER_FOLDERS = 'http|pages|views|config|cli|mail|oauth|fastify|express|verify|client'
const ROOT_FILES = 'server|index|create-latchkey'
// Specifiers are not resolved by this rule, so a pattern that leaves a folder has to count the
// `../` a file at each depth needs (`./oauth/` inside core is core's own oauth/). The boundaries
// test resolves paths properly; these blocks cover files up to this many folders deep.
const MAX_DEPTH = 5

/** A no-restricted-imports rule from regular expressions over the import specifier. */
function restrictImports(rules) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: rules.map(([regex, message]) => ({ regex, message })) },
    ],
  }
}

/** One config block per depth below `src/<folder>/`, each with the rules made for that depth. */
function perDepth(folder, rulesAt) {
  return Array.from({ length: MAX_DEPTH }, (_, depth) => ({
    files: [`src/${folder}/${'*/'.repeat(depth)}*.ts`],
    rules: restrictImports(rulesAt(`^(\\.\\./){${depth + 1}}`)),
  }))
}

const coreRules = (up) => [
  [
    `^(${DRIVERS.join('|')}|@fastify/.*)(/.*)?$`,
    'core knows no framework, database or mail driver (design.md).',
  ],
  ['^openid-client(/.*)?$', 'openid-client lives in src/oauth/, behind core/oauth/provider.ts.'],
  [`${up}(storage|${OUTER_FOLDERS})/`, 'core imports only core/, crypto/ and types (design.md).'],
  [`${up}(${ROOT_FILES})\\.(js|ts)$`, 'core imports only core/, crypto/ and types (design.md).'],
]

const storageRules = (up) => [
  [
    `${up}core/(?!(ports|errors|types)\\.(js|ts)$)`,
    'storage may import only core/ports, core/errors and core/types.',
  ],
  [`${up}(${OUTER_FOLDERS})/`, 'storage is an adapter: it imports no other layer.'],
  [`${up}(${ROOT_FILES})\\.(js|ts)$`, 'storage is an adapter: it imports no other layer.'],
]

const webRules = (up) => [
  [`${up}(storage|cli)/`, 'http/ and pages/ reach storage only through core (design.md).'],
  [`^(${DB_DRIVERS.join('|')})(/.*)?$`, 'http/ and pages/ hold no database driver.'],
  [`${up}server\\.(js|ts)$`, 'only the composition root wires adapters.'],
]

/** oauth/: the provider adapters; from core only the port they implement. */
const oauthRules = (up) => [
  [
    `^(${DRIVERS.join('|')}|@fastify/.*)(/.*)?$`,
    'oauth/ is a network adapter: no framework or database driver.',
  ],
  [
    `${up}core/(?!oauth/provider\\.(js|ts)$)`,
    'oauth/ may import only core/oauth/provider from core.',
  ],
  [`${up}(storage|http|pages|views|cli|mail)/`, 'oauth/ is an adapter: it imports no other layer.'],
  [`${up}(${ROOT_FILES})\\.(js|ts)$`, 'oauth/ is an adapter: it imports no other layer.'],
]

/** views/ imports nothing but views/: no package, not even a built-in, and no path out of it. */
const viewRules = (up) => [
  [up, 'views/ imports nothing but views/ (pure functions of their model).'],
  ['^(?!\\.)', 'views/ imports nothing but views/ (pure functions of their model).'],
]

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
  ...perDepth('core', coreRules),
  // core imports crypto/, so crypto/ keeps core's rules too.
  ...perDepth('crypto', coreRules),
  ...perDepth('storage', storageRules),
  ...perDepth('http', webRules),
  ...perDepth('pages', webRules),
  ...perDepth('views', viewRules),
  ...perDepth('oauth', oauthRules),
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
