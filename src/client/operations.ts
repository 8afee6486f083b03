// Every call the client makes, as data. test/library/client.test.ts checks each (method, path)
// against the server's /openapi.json, and the wire types come from the very TypeBox schemas that
// produce that document (type-only imports: the client ships no schema code).
import type { Static } from '@sinclair/typebox'
import type { AuditPageSchema, AuditQuery, UserEventsQuery } from '../http/schemas/audit.js'
import type {
  LoginBody,
  PasswordChangeBody,
  RefreshBody,
  TokensSchema,
} from '../http/schemas/auth.js'
import type { JWKSSchema, StatusSchema } from '../http/schemas/service.js'
import type { SessionListSchema } from '../http/schemas/session.js'
import type {
  AdminUserPatchBody,
  ProfilePatchBody,
  RegisterBody,
  UserListQuery,
  UserPageSchema,
  UserSchema,
} from '../http/schemas/user.js'

export type UserJSON = Static<typeof UserSchema>
export type TokensJSON = Static<typeof TokensSchema>
/** api.md: a login while 2FA is on answers this instead of tokens. */
export interface MFARequiredJSON {
  readonly mfa_required: true
  readonly mfa_token: string
}
export type SessionJSON = Static<typeof SessionListSchema>[number]
export type UserPageJSON = Static<typeof UserPageSchema>
export type AuditPageJSON = Static<typeof AuditPageSchema>
export type AuditEventJSON = AuditPageJSON['items'][number]
export type JWKSJSON = Static<typeof JWKSSchema>
export type StatusJSON = Static<typeof StatusSchema>
export type RegisterInputJSON = Static<typeof RegisterBody>
export type LoginInputJSON = Static<typeof LoginBody>
export type RefreshInputJSON = Static<typeof RefreshBody>
export type PasswordChangeJSON = Static<typeof PasswordChangeBody>
export type ProfilePatchJSON = Static<typeof ProfilePatchBody>
export type AdminUserPatchJSON = Static<typeof AdminUserPatchBody>
export type UserListQueryJSON = Static<typeof UserListQuery>
export type AuditQueryJSON = Static<typeof AuditQuery>
export type UserEventsQueryJSON = Static<typeof UserEventsQuery>

export type HTTPMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Paths in OpenAPI form (`{id}`), as /openapi.json lists them. */
export const OPERATIONS = {
  register: { method: 'POST', path: '/auth/register' },
  login: { method: 'POST', path: '/auth/login' },
  refresh: { method: 'POST', path: '/auth/refresh' },
  logout: { method: 'POST', path: '/auth/logout' },
  logoutAll: { method: 'POST', path: '/auth/logout-all' },
  me: { method: 'GET', path: '/auth/me' },
  updateMe: { method: 'PATCH', path: '/auth/me' },
  changePassword: { method: 'POST', path: '/auth/password/change' },
  listSessions: { method: 'GET', path: '/auth/sessions' },
  revokeSession: { method: 'DELETE', path: '/auth/sessions/{id}' },
  listUsers: { method: 'GET', path: '/users' },
  getUser: { method: 'GET', path: '/users/{id}' },
  updateUser: { method: 'PATCH', path: '/users/{id}' },
  revokeUserSessions: { method: 'POST', path: '/users/{id}/revoke-sessions' },
  listUserEvents: { method: 'GET', path: '/users/{id}/logs' },
  listEvents: { method: 'GET', path: '/audit' },
  jwks: { method: 'GET', path: '/.well-known/jwks.json' },
  health: { method: 'GET', path: '/healthz' },
  ready: { method: 'GET', path: '/readyz' },
} as const satisfies Record<string, { readonly method: HTTPMethod; readonly path: string }>

export type OperationName = keyof typeof OPERATIONS
