// The package's main entry (`latchkey`): the library surface, named one by one (jose style, no
// `export *`), so nothing internal becomes public by accident. Subpaths: `latchkey/fastify`,
// `latchkey/express`, `latchkey/verify` (offline, jose only) and `latchkey/client` (fetch only).

// Core: the Auth object and its inputs and outputs.
export { createAuth } from './core/auth.js'
export type {
  AdminUserPatch,
  Auth,
  AuditListQuery,
  Credential,
  IssuedTokens,
  JSONWebKeySet,
  LoginInput,
  LoginResult,
  PasswordChangeInput,
  Principal,
  ProfilePatchInput,
  RegisterInput,
  SessionView,
  UserListQuery,
} from './core/auth-api.js'
export type {
  AuthDeps,
  AuthSettings,
  ProfileFieldDefinition,
  SessionPolicy,
} from './core/auth-options.js'
export { AuthError, isAuthError, type AuthErrorCode, type FieldError } from './core/errors.js'
export type {
  AuditEvent,
  AuditEventType,
  Page,
  Profile,
  RequestContext,
  Role,
  Session,
  User,
} from './core/types.js'
export type {
  AccountMail,
  AuditSink,
  Clock,
  KeyStore,
  Logger,
  Mailer,
  MailMessage,
  MailQueue,
  PasswordHasher,
  RateLimiter,
  Store,
} from './core/ports.js'

// The adapters createAuth is usually given, and the one-call wiring over them.
export { createLatchkey, type Latchkey, type LatchkeyOptions } from './create-latchkey.js'
export { openSqlStore } from './storage/sql/open-store.js'
export { createPasswordHasher, type PasswordHasherOptions } from './crypto/password-hash.js'
export { MemoryRateLimiter } from './storage/memory/rate-limiter.js'
export { SmtpMailer } from './mail/smtp-mailer.js'
export type { MailAddress } from './config/parse-mail.js'
export { createMailQueue } from './mail/open-mail.js'

// Framework-neutral request checks (Fetch API Request: Hono, Next.js route handlers, …).
export {
  createRequestVerifier,
  problemResponse,
  type RequestVerdict,
  type RequestVerifier,
  type RequestVerifierOptions,
  type VerifyRequestOptions,
} from './verify/verify-request.js'
export type { ProblemJSON } from './http/problem.js'

// The whole server, for embedding it as it runs under `latchkey serve`.
export { buildServer, type BuiltServer } from './server.js'
export { loadConfig, ConfigError, isConfigError, type Env } from './config/env.js'
export type { Config, HttpSettings } from './config/config.js'
