import type { FastifyBaseLogger, LogLevel } from 'fastify'
import type {
  Bindings,
  ChildLoggerOptions,
  FastifyChildLoggerFactory,
} from 'fastify/types/logger.js'

type LogArgs = [obj: unknown, msg?: string, ...args: unknown[]]

/**
 * `request.log`, made only when a line is written. Fastify gives every request a pino child
 * logger bound to its id, and pino builds a child by running the redaction rules over the
 * bindings: about 6% of a warm `/auth/me` (CPU profile), for a logger that at the default level
 * mostly writes nothing. This one defers the child to the first enabled line; what is logged,
 * its fields and its redaction are the same.
 */
class LazyRequestLogger {
  readonly #parent: FastifyBaseLogger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: FastifyBaseLogger | null = null

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get level(): string {
    return (this.#child ?? this.#parent).level
  }

  set level(level: string) {
    this.#real().level = level
  }

  fatal(...args: LogArgs): void {
    this.#write('fatal', args)
  }

  error(...args: LogArgs): void {
    this.#write('error', args)
  }

  warn(...args: LogArgs): void {
    this.#write('warn', args)
  }

  info(...args: LogArgs): void {
    this.#write('info', args)
  }

  debug(...args: LogArgs): void {
    this.#write('debug', args)
  }

  trace(...args: LogArgs): void {
    this.#write('trace', args)
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options)
  }

  isLevelEnabled(level: string): boolean {
    return this.#enabled(level as LogLevel)
  }

  #enabled(level: LogLevel): boolean {
    const logger = this.#child ?? this.#parent
    return 'isLevelEnabled' in logger && typeof logger.isLevelEnabled === 'function'
      ? (logger.isLevelEnabled as (level: string) => boolean)(level) // pino's own method
      : true
  }

  #write(level: LogLevel, args: LogArgs): void {
    if (!this.#enabled(level)) return
    const [obj, msg, ...rest] = args
    this.#real()[level](obj as object, msg, ...rest) // pino takes an object or a message first
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }
}

/**
 * Fastify's `childLoggerFactory`. A route with its own log level gets a real child at once,
 * since its level differs from the parent's.
 */
export const lazyRequestLogger: FastifyChildLoggerFactory = (logger, bindings, options) =>
  options.level === undefined
    ? new LazyRequestLogger(logger, bindings, options)
    : logger.child(bindings, options)
