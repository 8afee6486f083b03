import { pino } from 'pino'
import type { Config } from '../config/config.js'
import { createLogger } from '../config/logger.js'
import type { RequestContext } from '../core/types.js'
import { openRuntime, type Runtime } from '../server.js'

/** What the audit log records as the origin of an operator's command. */
export const CLI_CONTEXT: RequestContext = { ip: null, userAgent: 'latchkey-cli' }

/**
 * Opens the runtime (store migrated, hasher, limiter), runs `fn` and always closes it. Logs go to
 * stderr, at warn unless LOG_LEVEL asks for more detail, so a command's own output stays clean.
 */
export async function withRuntime<T>(
  config: Config,
  fn: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel
  const runtime = await openRuntime(config, { logger: createLogger(level, pino.destination(2)) })
  try {
    return await fn(runtime)
  } finally {
    await runtime.close()
  }
}

/** Control characters in a user-supplied value must not reach the operator's terminal. */
export function printable(value: string | null): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return value === null ? '-' : value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD')
}
