// Parsers for single environment values. Each either returns the typed value or throws a
// ConfigError whose message is one line: `NAME: expected ..., got "..."`.
import { ConfigError } from './config-error.js'

export type Env = Readonly<Record<string, string | undefined>>

/** The trimmed value, or undefined when unset or blank (`REDIS_URL=` in a .env file means unset). */
export function readVar(env: Env, name: string): string | undefined {
  const raw = env[name]
  if (raw === undefined) return undefined
  const trimmed = raw.trim()
  return trimmed === '' ? undefined : trimmed
}

/** Quotes a value for an error message: JSON escaping keeps control characters off the terminal. */
export function showValue(raw: string): string {
  const cut = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw
  return JSON.stringify(cut)
}

export function parseInteger(name: string, raw: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected an integer ${min}-${max}, got ${showValue(raw)}`)
  }
  return value
}

const TRUE_WORDS = new Set(['true', 'on', 'yes', '1'])
const FALSE_WORDS = new Set(['false', 'off', 'no', '0'])

export function parseBoolean(name: string, raw: string): boolean {
  const word = raw.toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  throw new ConfigError(name, `expected on/off (or true/false), got ${showValue(raw)}`)
}

export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const found = allowed.find((word) => word === raw.toLowerCase())
  if (found === undefined) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got ${showValue(raw)}`)
  }
  return found
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const

/** Seconds as a short human string, for messages and docs: 900 → "15m". */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}

/** Durations are whole seconds (`900`) or a whole number with a unit (`15m`, `7d`). */
export function parseDurationSeconds(name: string, raw: string, min: number, max: number): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(raw)
  const digits = match?.[1]
  const unit = (match?.[2] ?? '').toLowerCase()
  const seconds =
    digits === undefined
      ? Number.NaN
      : Number(digits) * (unit === '' ? 1 : UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS]) // unit matched [smhd]
  if (!Number.isSafeInteger(seconds) || seconds < min || seconds > max) {
    throw new ConfigError(
      name,
      `expected a duration between ${formatDuration(min)} and ${formatDuration(max)} ` +
        `(seconds, or a number with s, m, h or d such as 15m), got ${showValue(raw)}`,
    )
  }
  return seconds
}

/** A comma-separated list; blanks between commas are dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Applies `parse` when the variable is set, otherwise returns `fallback`. */
export function withDefault<T>(
  env: Env,
  name: string,
  fallback: T,
  parse: (raw: string, name: string) => T,
): T {
  const raw = readVar(env, name)
  return raw === undefined ? fallback : parse(raw, name)
}
