// Settings for operating the server beside its API: who may introspect tokens (RFC 7662) and
// whether Prometheus may scrape /metrics. Secrets are never echoed in an error message.
import { ConfigError } from './config-error.js'
import { type Env, parseBoolean, parseList, readVar, showValue } from './parse.js'

/** A resource server allowed to call POST /oauth/introspect. */
export interface IntrospectionClient {
  readonly id: string
  readonly secret: string
}

export interface MetricsSettings {
  /** GET /metrics is served only when on (METRICS=on); off by default. */
  readonly enabled: boolean
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  readonly token: string | null
}

// Long enough that guessing is hopeless even without a rate limit: 32 characters of base64 are
// 192 bits. `openssl rand -base64 32` prints 44.
const MIN_SECRET_LENGTH = 32
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/

/** INTROSPECTION_CLIENTS=`id:secret,id2:secret2`. */
export function parseIntrospectionClients(name: string, raw: string): IntrospectionClient[] {
  const clients = parseList(raw).map((entry): IntrospectionClient => {
    const colon = entry.indexOf(':')
    const id = colon === -1 ? entry : entry.slice(0, colon)
    const secret = colon === -1 ? '' : entry.slice(colon + 1)
    if (!CLIENT_ID.test(id)) {
      throw new ConfigError(
        name,
        `expected id:secret pairs with ids of A-Z a-z 0-9 . _ -, got id ${showValue(id)}`,
      )
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        name,
        `the secret of client ${showValue(id)} must be at least ${MIN_SECRET_LENGTH} characters`,
      )
    }
    return { id, secret }
  })
  const ids = new Set(clients.map((c) => c.id))
  if (ids.size !== clients.length) throw new ConfigError(name, 'a client id appears twice')
  return clients
}

export function loadMetricsSettings(env: Env): MetricsSettings {
  const raw = readVar(env, 'METRICS')
  const enabled = raw === undefined ? false : parseBoolean('METRICS', raw)
  const token = readVar(env, 'METRICS_TOKEN') ?? null
  if (token !== null && token.length < 16) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters')
  }
  return { enabled, token }
}
