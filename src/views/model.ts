// What the views are given. Views import nothing outside views/, so these are their own shapes;
// core's User, Session and AuditEvent fit them structurally and are passed as they are.
import type { SafeHTML } from './html.js'
import type { FlashMessage } from './flash.js'

export type ViewProfileValue = string | number | boolean | null

export interface ViewUser {
  readonly id: string
  readonly email: string
  readonly username: string | null
  readonly name: string | null
  readonly role: 'user' | 'admin'
  readonly emailVerified: boolean
  readonly mfaEnabled: boolean
  readonly disabled: boolean
  readonly profile: Readonly<Record<string, ViewProfileValue>>
  readonly createdAt: Date
}

export interface ViewSession {
  readonly id: string
  readonly createdAt: Date
  readonly lastSeenAt: Date
  readonly expiresAt: Date
  readonly ip: string | null
  readonly userAgent: string | null
}

export interface ViewAuditEvent {
  readonly id: string
  readonly at: Date
  readonly type: string
  readonly userId: string | null
  readonly actorId: string | null
  readonly ip: string | null
  readonly data: Readonly<Record<string, string | number | boolean | null>>
}

export interface ViewProfileField {
  readonly name: string
  readonly type: 'string' | 'number' | 'boolean'
  readonly required: boolean
  readonly maxLength?: number | undefined
}

/**
 * Per-field problems keyed by the form field's name. Each is a predicate about the field, as core
 * words them ("must be at least 15 characters long"); the view puts the field's label in front.
 */
export type FieldErrors = Readonly<Record<string, string>>

/** A form as the user last sent it: values (never passwords) and what was wrong. */
export interface FormState {
  readonly values: Readonly<Record<string, string>>
  readonly errors: FieldErrors
  /** A problem with the form as a whole, e.g. "the email or password is not right". */
  readonly formError?: string | undefined
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} }

/** Everything the layout needs that is the same for every page of one request. */
export interface Chrome {
  /** The signed-in user, or null on anonymous pages. */
  readonly user: ViewUser | null
  /** The anti-CSRF token for this request's forms (session-bound, or pre-session). */
  readonly csrfToken: string
  readonly flash: FlashMessage | null
  /** The stylesheet URL, with a content hash so it can be cached for a year. */
  readonly stylesheetHref: string
  /** The request path, to mark the current navigation link. */
  readonly path: string
}

export interface PageContent {
  readonly title: string
  readonly main: SafeHTML
}
