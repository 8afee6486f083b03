// A browser-shaped HTTP client for the OAuth tests: one cookie jar per origin, redirects followed
// by hand, requests to Latchkey's PUBLIC_URL sent through app.inject() and everything else (the
// identity provider, the stand-ins) over real HTTP. No mock anywhere in the chain.
import type { FastifyInstance } from 'fastify'

export interface AgentResponse {
  readonly url: string
  readonly status: number
  readonly location: string | null
  readonly contentType: string
  readonly body: string
  readonly setCookies: readonly string[]
}

interface RequestOptions {
  readonly method?: 'GET' | 'POST'
  readonly form?: Readonly<Record<string, string>>
  readonly accept?: string
}

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,*/*;q=0.8'

export class OAuthAgent {
  readonly #app: FastifyInstance
  readonly #publicUrl: string
  readonly #jar = new Map<string, Map<string, string>>()
  accept = BROWSER_ACCEPT

  constructor(app: FastifyInstance, publicUrl: string) {
    this.#app = app
    this.#publicUrl = publicUrl
  }

  cookie(url: string, name: string): string | undefined {
    return this.#jar.get(new URL(url).origin)?.get(name)
  }

  setCookie(url: string, name: string, value: string): void {
    const origin = new URL(url).origin
    const jar = this.#jar.get(origin) ?? new Map<string, string>()
    jar.set(name, value)
    this.#jar.set(origin, jar)
  }

  /** Forgets every cookie of one origin (another browser, as far as that site can tell). */
  clearCookies(url: string): void {
    this.#jar.delete(new URL(url).origin)
  }

  #cookieHeader(url: string): string {
    return [...(this.#jar.get(new URL(url).origin) ?? new Map<string, string>()).entries()]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ')
  }

  #store(url: string, lines: readonly string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      const jar = this.#jar.get(new URL(url).origin) ?? new Map<string, string>()
      if (expired) jar.delete(name)
      else jar.set(name, value)
      this.#jar.set(new URL(url).origin, jar)
    }
  }

  async request(url: string, options: RequestOptions = {}): Promise<AgentResponse> {
    const method = options.method ?? 'GET'
    const headers: Record<string, string> = { accept: options.accept ?? this.accept }
    const cookie = this.#cookieHeader(url)
    if (cookie !== '') headers['cookie'] = cookie
    const body =
      options.form === undefined ? undefined : new URLSearchParams(options.form).toString()
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    let response: AgentResponse
    if (url.startsWith(this.#publicUrl)) {
      const target = new URL(url)
      if (method === 'POST') headers['origin'] = target.origin
      const injected = await this.#app.inject({
        method,
        url: target.pathname + target.search,
        headers,
        payload: body,
      })
      const raw = injected.headers['set-cookie']
      response = {
        url,
        status: injected.statusCode,
        location: typeof injected.headers.location === 'string' ? injected.headers.location : null,
        contentType: String(injected.headers['content-type'] ?? ''),
        body: injected.body,
        setCookies: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
      }
    } else {
      const fetched = await fetch(url, { method, headers, body, redirect: 'manual' })
      response = {
        url,
        status: fetched.status,
        location: fetched.headers.get('location'),
        contentType: fetched.headers.get('content-type') ?? '',
        body: await fetched.text(),
        setCookies: fetched.headers.getSetCookie(),
      }
    }
    this.#store(url, response.setCookies)
    return response
  }

  /**
   * Follows redirects from `url`. Stops at the first non-redirect, or before requesting a URL for
   * which `stopBefore` is true (returning the redirect that pointed there).
   */
  async follow(
    url: string,
    options: RequestOptions & { readonly stopBefore?: (url: string) => boolean } = {},
  ): Promise<AgentResponse> {
    let response = await this.request(url, options)
    for (let hops = 0; hops < 20; hops += 1) {
      if (response.status < 300 || response.status > 399 || response.location === null)
        return response
      const next = new URL(response.location, response.url).href
      if (options.stopBefore?.(next) === true) return response
      response = await this.request(next, { accept: options.accept })
    }
    throw new Error(`too many redirects from ${url}`)
  }
}

/** The first <form>'s action on an IdP page, resolved against the page URL. */
function formAction(page: AgentResponse, prompt: 'login' | 'consent'): string | null {
  const match = new RegExp(
    `<form[^>]*action="([^"]+)"[^>]*>\\s*<input type="hidden" name="prompt" value="${prompt}"`,
  ).exec(page.body)
  return match?.[1] === undefined ? null : new URL(match[1].replace(/&amp;/g, '&'), page.url).href
}

export interface IdPInteraction {
  readonly login: string
  /** `deny` presses the provider's Cancel link at the consent step. */
  readonly consent?: 'allow' | 'deny'
}

/**
 * From Latchkey's /start URL through the provider's real login and consent forms, up to (not
 * including) the request to Latchkey's callback. Returns the callback URL the provider chose.
 */
export async function authorizeAtIdP(
  agent: OAuthAgent,
  startURL: string,
  interaction: IdPInteraction,
  isCallback: (url: string) => boolean,
): Promise<string> {
  const stop = { stopBefore: isCallback }
  let page = await agent.follow(startURL, stop)
  for (let step = 0; step < 5; step += 1) {
    if (page.location !== null && isCallback(new URL(page.location, page.url).href)) {
      return new URL(page.location, page.url).href
    }
    const login = formAction(page, 'login')
    const consent = formAction(page, 'consent')
    if (login !== null) {
      page = await agent.follow(login, {
        ...stop,
        method: 'POST',
        form: { prompt: 'login', login: interaction.login, password: 'any' },
      })
    } else if (consent !== null && interaction.consent === 'deny') {
      const abort = /href="([^"]+\/abort)"/.exec(page.body)?.[1]
      if (abort === undefined) throw new Error('no Cancel link on the consent page')
      page = await agent.follow(new URL(abort, page.url).href, stop)
    } else if (consent !== null) {
      page = await agent.follow(consent, { ...stop, method: 'POST', form: { prompt: 'consent' } })
    } else {
      throw new Error(
        `unexpected IdP page ${page.url} (${page.status}): ${page.body.slice(0, 300)}`,
      )
    }
  }
  throw new Error('the IdP interaction did not end')
}
