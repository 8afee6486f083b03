#!/usr/bin/env node
// The `latchkey` command. Runs the built CLI (dist/, made by `npm install` through `prepare`);
// without a build, or with LATCHKEY_FROM_SOURCE=1, it runs the TypeScript source through tsx.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'

// No allocation-site pretenuring in our processes, before anything else is loaded. V8 decides per
// allocation site, from what survived its young-generation collections, to allocate that site's
// objects straight in the old generation. A third of the server's starts (10 of 29 measured) had
// a site on the request path so decided while it was starting up. From then on every request's
// objects were kept alive by short-lived objects in the old generation until a full collection:
// ~4 MB promoted per young collection instead of ~0, 8-11 ms pauses, and 40-60% of the
// throughput, for the life of the process. Without pretenuring no start went that way (0 of 30).
// docs/decisions/008 has the measurements. An explicit `node --allocation-site-pretenuring` wins.
const pretenuringChosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
  arg.includes('allocation-site-pretenuring'),
)
if (!pretenuringChosen) setFlagsFromString('--no-allocation-site-pretenuring')

const built = new URL('../dist/cli/main.js', import.meta.url)
const source = new URL('../src/cli/main.ts', import.meta.url)
const fromSource = process.env.LATCHKEY_FROM_SOURCE === '1' || !existsSync(built)
const tsxLoaded = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
  arg.includes('tsx'),
)

if (fromSource && !tsxLoaded) {
  // Start again under `node --import tsx`: loaders registered at run time are not inherited by
  // worker threads, and the password hasher runs its TypeScript worker in a thread pool.
  const child = spawn(
    process.execPath,
    [
      // Resolved from this file, not from the working directory, which may hold no node_modules.
      '--import',
      import.meta.resolve('tsx'),
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  )
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal))
  }
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128)
  })
} else {
  const { runCLI } = await import((fromSource ? source : built).href)
  process.exitCode = await runCLI(process.argv.slice(2))
}
