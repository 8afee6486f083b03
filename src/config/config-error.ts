/**
 * A configuration value that stops the start. The message is one line that names the variable,
 * says what was expected and what was found (never the value of a secret), so an operator can fix
 * it without reading a stack trace.
 */
export class ConfigError extends Error {
  /** The environment variable at fault, e.g. `PORT`. */
  readonly variable: string

  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
    this.variable = variable
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError
}
