// `latchkey/client`: a typed fetch client for the JSON API. No dependencies beyond fetch.
import {
  OPERATIONS,
  type AdminUserPatchJSON,
  type AuditPageJSON,
  type AuditQueryJSON,
  type JWKSJSON,
  type LoginInputJSON,
  type MFARequiredJSON,
  type OperationName,
  type PasswordChangeJSON,
  type ProfilePatchJSON,
  type RegisterInputJSON,
  type SessionJSON,
  type StatusJSON,
  type TokensJSON,
  type UserEventsQueryJSON,
  type UserJSON,
  type UserListQueryJSON,
  type UserPageJSON,
} from './operations.js'

export { OPERATIONS, type OperationName } from './operations.js'
export type * from './operations.js'

/** An RFC 9457 problem from the server; `code` is the stable word to switch on (docs/errors.md). */
export interface ProblemDetails {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly code: string
  readonly errors?: readonly { readonly path: string; readonly message: string }[]
}

export class LatchkeyClientError extends Error {
  readonly status: number
  readonly problem: ProblemDetails | null
  constructor(status: number, problem: ProblemDetails | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`)
    this.name = 'LatchkeyClientError'
    this.status = status
    this.problem = problem
  }
  /** The problem's `code` (e.g. `invalid_credentials`), or null for a non-problem answer. */
  get code(): string | null {
    return this.problem?.code ?? null
  }
}

export interface ClientOptions {
  /** The API's base URL, e.g. `https://auth.example.com` or `http://localhost:3000/auth-api`. */
  readonly baseUrl: string
  /** Called per request; return the current access token (or null to send none). */
  readonly accessToken?: () => string | null | Promise<string | null>
  readonly fetch?: typeof fetch
  /** For browser use with the session cookie: sends `credentials: 'include'`. */
  readonly credentials?: 'include' | 'same-origin' | 'omit'
}

type Query = Readonly<Record<string, string | number | undefined>>

interface Call {
  readonly params?: { readonly id: string }
  readonly query?: Query
  readonly body?: unknown
}

function isProblem(value: unknown): value is ProblemDetails {
  return typeof value === 'object' && value !== null && 'status' in value && 'code' in value
}

/** Builds the client. Every method resolves with the parsed body or throws LatchkeyClientError. */
// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the inferred object type is the API; spelling it out would repeat every signature
export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch

  async function call<T>(name: OperationName, input: Call = {}): Promise<T> {
    const { method, path } = OPERATIONS[name]
    const id = input.params?.id
    let url = base + (id === undefined ? path : path.replace('{id}', encodeURIComponent(id)))
    const query = new URLSearchParams()
    for (const [key, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) query.set(key, String(value))
    }
    if (query.size > 0) url += `?${query.toString()}`
    const headers: Record<string, string> = { accept: 'application/json' }
    const token = options.accessToken === undefined ? null : await options.accessToken()
    if (token !== null) headers['authorization'] = `Bearer ${token}`
    // JSON on every unsafe call: the server's CSRF check wants a preflighted content type.
    if (method !== 'GET') headers['content-type'] = 'application/json'
    const response = await doFetch(url, {
      method,
      headers,
      ...(method === 'GET' ? {} : { body: JSON.stringify(input.body ?? {}) }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    })
    const text = await response.text()
    const parsed: unknown = text === '' ? undefined : JSON.parse(text)
    if (!response.ok)
      throw new LatchkeyClientError(response.status, isProblem(parsed) ? parsed : null)
    return parsed as T // the server's response schema for this operation (checked by its tests)
  }

  return {
    register: (body: RegisterInputJSON) => call<UserJSON>('register', { body }),
    login: (body: LoginInputJSON) => call<TokensJSON | MFARequiredJSON>('login', { body }),
    refresh: (refreshToken: string) =>
      call<TokensJSON>('refresh', { body: { refresh_token: refreshToken } }),
    logout: () => call<void>('logout'),
    logoutAll: () => call<void>('logoutAll'),
    me: () => call<UserJSON>('me'),
    updateMe: (body: ProfilePatchJSON) => call<UserJSON>('updateMe', { body }),
    changePassword: (body: PasswordChangeJSON) => call<void>('changePassword', { body }),
    listSessions: () => call<SessionJSON[]>('listSessions'),
    revokeSession: (id: string) => call<void>('revokeSession', { params: { id } }),
    listUsers: (query: UserListQueryJSON = {}) => call<UserPageJSON>('listUsers', { query }),
    getUser: (id: string) => call<UserJSON>('getUser', { params: { id } }),
    updateUser: (id: string, body: AdminUserPatchJSON) =>
      call<UserJSON>('updateUser', { params: { id }, body }),
    revokeUserSessions: (id: string) => call<void>('revokeUserSessions', { params: { id } }),
    listUserEvents: (id: string, query: UserEventsQueryJSON = {}) =>
      call<AuditPageJSON>('listUserEvents', { params: { id }, query }),
    listEvents: (query: AuditQueryJSON = {}) => call<AuditPageJSON>('listEvents', { query }),
    jwks: () => call<JWKSJSON>('jwks'),
    health: () => call<StatusJSON>('health'),
    ready: () => call<StatusJSON>('ready'),
  }
}

export type LatchkeyClient = ReturnType<typeof createClient>

/** Narrows a login answer: true when a second factor is needed before tokens are issued. */
export function isMFARequired(answer: TokensJSON | MFARequiredJSON): answer is MFARequiredJSON {
  return 'mfa_required' in answer && answer.mfa_required
}
