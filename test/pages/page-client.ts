// A tiny browser for app.inject(): a cookie jar, the anti-CSRF token read from the last page,
// and form posts that send what a browser sends (form encoding and the Origin header).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { PUBLIC_URL } from '../helpers/app.ts'

export const SESSION_COOKIE = '__Host-latchkey_session'
export const CSRF_COOKIE = '__Host-latchkey_csrf'

function setCookieLines(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie']
  return header === undefined ? [] : Array.isArray(header) ? header : [header]
}

export function setCookieLine(response: LightMyRequestResponse, name: string): string | undefined {
  return setCookieLines(response).find((line) => line.startsWith(`${name}=`))
}

/** The hidden `_csrf` value of the form posting to `action` (or of the first form). */
export function csrfTokenIn(body: string, action?: string): string | undefined {
  const forms = body.split('<form').slice(1)
  const form = action === undefined ? forms[0] : forms.find((f) => f.includes(`action="${action}"`))
  return /name="_csrf" value="([^"]+)"/.exec(form ?? '')?.[1]
}

export function encodeForm(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString()
}

export interface PostOptions {
  /** The Origin header; null sends none. Default: the server's own origin. */
  readonly origin?: string | null
  readonly headers?: Readonly<Record<string, string>>
}

export class PageClient {
  readonly app: FastifyInstance
  readonly cookies = new Map<string, string>()

  constructor(app: FastifyInstance) {
    this.app = app
  }

  #cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {}
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
  }

  #store(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const line of setCookieLines(response)) {
      const [pair = '', ...attributes] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at)
      const value = pair.slice(at + 1)
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a))
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.#store(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { ...this.#cookieHeader(), ...headers },
      }),
    )
  }

  async post(
    url: string,
    fields: Readonly<Record<string, string>>,
    options: PostOptions = {},
  ): Promise<LightMyRequestResponse> {
    const origin = options.origin === undefined ? PUBLIC_URL : options.origin
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { origin }),
      ...this.#cookieHeader(),
      ...options.headers,
    }
    return this.#store(
      await this.app.inject({ method: 'POST', url, headers, payload: encodeForm(fields) }),
    )
  }

  /** Opens `page`, then posts `fields` with the token of its form that posts to `action`. */
  async submit(
    page: string,
    action: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<LightMyRequestResponse> {
    const shown = await this.get(page)
    const token = csrfTokenIn(shown.body, action)
    if (token === undefined)
      throw new Error(`no form posting to ${action} on ${page} (${shown.statusCode})`)
    return this.post(action, { _csrf: token, ...fields })
  }

  /** Registers through the form and signs in through the form. */
  async signUp(account: {
    email: string
    password: string
    username?: string
    name?: string
  }): Promise<void> {
    const registered = await this.submit('/register', '/register', { ...account })
    if (registered.statusCode !== 303)
      throw new Error(`register: ${registered.statusCode} ${registered.body.slice(0, 500)}`)
    await this.signIn(account.email, account.password)
  }

  async signIn(identifier: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.submit('/login', '/login', { identifier, password })
    if (response.statusCode !== 303)
      throw new Error(`login: ${response.statusCode} ${response.body.slice(0, 500)}`)
    return response
  }
}

/** The `<input>` tag with this id, whitespace collapsed, for checking its attributes. */
export function inputTag(body: string, id: string): string {
  const tags = body.match(/<input\b[^>]*>/g) ?? []
  const tag = tags.find((t) => t.includes(`id="${id}"`))
  if (tag === undefined) throw new Error(`no input #${id}`)
  return tag.replace(/\s+/g, ' ')
}
