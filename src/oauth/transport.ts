// What every adapter shares about talking to a provider.
import * as client from 'openid-client'

/** Seconds for any one request to a provider: a slow provider fails the sign-in, not the server. */
export const PROVIDER_TIMEOUT_SECONDS = 10

/**
 * Plain http is allowed only to this machine, for tests and local development: openid-client
 * refuses it otherwise, and so do we (the configuration parser checks the same rule).
 */
export function isLoopbackHTTP(url: string): boolean {
  const { protocol, hostname } = new URL(url)
  const loopback = hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.')
  return protocol === 'http:' && loopback
}

export function assertSecureURL(url: string, what: string): void {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && !isLoopbackHTTP(url)) {
    throw new Error(`${what} must be https (plain http only on loopback), got ${parsed.origin}`)
  }
}

/** The settings each openid-client Configuration gets; http only for loopback endpoints. */
export function configureTransport(config: client.Configuration, urls: readonly string[]): void {
  config.timeout = PROVIDER_TIMEOUT_SECONDS
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only as a warning sign; used for loopback (tests, local IdPs) alone
  if (urls.some(isLoopbackHTTP)) client.allowInsecureRequests(config)
}

/** Reads a JSON body; a provider answering non-JSON or an error status is not trusted. */
export async function readJSON(response: Response, what: string): Promise<unknown> {
  if (!response.ok) {
    throw new client.ClientError(`${what} answered HTTP ${response.status}`, {
      cause: response,
    })
  }
  return response.json()
}
