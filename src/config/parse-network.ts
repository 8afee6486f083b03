// URLs, origins and proxy lists. Values that may carry credentials (DATABASE_URL, REDIS_URL) are
// never echoed in an error: only their scheme is.
import { isIP } from 'node:net'
import { ConfigError } from './config-error.js'
import { parseList, showValue } from './parse.js'

/** `PUBLIC_URL`: http(s), no credentials, query or fragment; returned without a trailing slash. */
export function parsePublicURL(name: string, raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(
      name,
      `expected an http(s) URL such as https://auth.example.com, got ${showValue(raw)}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `expected an http or https URL, got ${showValue(raw)}`)
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ConfigError(name, `expected no credentials, query or fragment, got ${showValue(raw)}`)
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/** True for hosts where browsers treat plain http as a secure context. */
export function isLoopbackURL(publicUrl: string): boolean {
  const host = new URL(publicUrl).hostname
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.')
}

/**
 * `CORS_ORIGINS`: exact origins only. `*` and `null` are refused because credentialed CORS must
 * never reflect an arbitrary origin (SEC-CSRF-02).
 */
export function parseOrigins(name: string, raw: string): string[] {
  return parseList(raw).map((item) => {
    let origin: string | undefined
    try {
      const url = new URL(item)
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin
    } catch {
      origin = undefined
    }
    if (origin === undefined || origin !== item.replace(/\/$/, '')) {
      throw new ConfigError(
        name,
        `expected a comma-separated list of origins such as https://app.example.com (no *, no path), got ${showValue(item)}`,
      )
    }
    return origin
  })
}

// Names proxy-addr (Fastify's trustProxy) understands.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])
const BLANKET = new Set(['true', 'on', 'yes', '1', '*', 'all', '0.0.0.0/0', '::/0'])
const OFF = new Set(['off', 'false', 'no', '0', 'none'])

function isAddressOrCIDR(item: string): boolean {
  const [address, prefix, extra] = item.split('/')
  if (address === undefined || extra !== undefined) return false
  const family = isIP(address)
  if (family === 0) return false
  if (prefix === undefined) return true
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1
  return bits >= 0 && bits <= (family === 4 ? 32 : 128)
}

/**
 * `TRUST_PROXY`: `off`, or the proxies whose X-Forwarded-For is believed. Blanket trust (`true`)
 * is refused: it lets any client choose the address that rate limits and audit records key on.
 */
export function parseTrustProxy(name: string, raw: string): false | string[] {
  const lower = raw.toLowerCase()
  if (OFF.has(lower)) return false
  const items = parseList(lower)
  for (const item of items) {
    if (BLANKET.has(item)) {
      throw new ConfigError(
        name,
        `blanket trust is refused (any client could forge X-Forwarded-For); list the proxy addresses or CIDRs, e.g. 127.0.0.1,10.0.0.0/8, got ${showValue(raw)}`,
      )
    }
    if (!NAMED_RANGES.has(item) && !isAddressOrCIDR(item)) {
      throw new ConfigError(
        name,
        `expected off or a comma-separated list of IP addresses, CIDRs or loopback/linklocal/uniquelocal, got ${showValue(item)}`,
      )
    }
  }
  return items.length === 0 ? false : items
}

function schemeOf(raw: string): string {
  const match = /^[a-z][a-z0-9+.-]*:/i.exec(raw)
  return match === null ? 'no scheme' : `scheme ${showValue(match[0])}`
}

const DATABASE_SCHEMES = /^(sqlite:|postgres:\/\/|postgresql:\/\/|mysql:\/\/|mariadb:\/\/)/i

export function parseDatabaseURL(name: string, raw: string): string {
  if (!DATABASE_SCHEMES.test(raw) || raw === 'sqlite:') {
    throw new ConfigError(
      name,
      `expected sqlite:PATH, postgres://… or mysql://…, got a value with ${schemeOf(raw)}`,
    )
  }
  return raw
}

/** SQLite is one file on one node; anything else may be shared by several nodes. */
export function isSQLiteURL(databaseUrl: string): boolean {
  return databaseUrl.toLowerCase().startsWith('sqlite:')
}

export function parseRedisURL(name: string, raw: string): string {
  if (!/^rediss?:\/\/./i.test(raw)) {
    throw new ConfigError(
      name,
      `expected redis://… or rediss://…, got a value with ${schemeOf(raw)}`,
    )
  }
  return raw
}
