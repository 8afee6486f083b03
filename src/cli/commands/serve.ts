import type { AddressInfo } from 'node:net'
import type { Config } from '../../config/config.js'
import { buildServer, type BuiltServer } from '../../server.js'
import type { Output } from '../output.js'

// In-flight requests get this long to finish after SIGTERM before the process gives up on them.
const SHUTDOWN_GRACE_MS = 20_000

function formatAddress(address: AddressInfo | string): string {
  if (typeof address === 'string') return address // a pipe or socket path
  return address.family === 'IPv6'
    ? `[${address.address}]:${address.port}`
    : `${address.address}:${address.port}`
}

/** Resolves once SIGTERM or SIGINT has closed the server (no new connections, in-flight drained). */
function closeOnSignal(server: BuiltServer, output: Output): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        output.err(`latchkey: ${signal} again, exiting without waiting`)
        process.exit(1)
      }
      stopping = true
      output.err(`latchkey: ${signal} received, finishing in-flight requests`)
      const timer = setTimeout(() => {
        output.err(`latchkey: requests still open after ${SHUTDOWN_GRACE_MS / 1000}s, exiting`)
        process.exit(1)
      }, SHUTDOWN_GRACE_MS)
      timer.unref()
      server.close().then(
        () => {
          process.off('SIGTERM', stop)
          process.off('SIGINT', stop)
          clearTimeout(timer)
          resolve()
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error instanceof Error ? error : new Error(String(error)))
        },
      )
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}

/** `latchkey serve`: builds the app, listens on HOST:PORT, prints one line, serves until a signal. */
export async function runServe(config: Config, output: Output): Promise<number> {
  const server = await buildServer(config)
  try {
    await server.app.listen({ port: config.port, host: config.host })
  } catch (error) {
    await server.close()
    throw error
  }
  const bound = server.app.addresses().map(formatAddress).join(', ')
  output.out(`Latchkey is listening at ${config.http.publicUrl} (bound to ${bound})`)
  await closeOnSignal(server, output)
  return 0
}
