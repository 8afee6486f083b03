// Form controls with their accessibility wiring done once: every input has a <label>, its hint
// and error are tied to it with aria-describedby, and aria-invalid marks a field in error
// (WCAG 1.3.1, 3.3.1, 3.3.2).
import { attr, flag, html, type SafeHTML } from '../html.js'
import type { FormState } from '../model.js'

/** The form field that carries the anti-CSRF token; the name is read by src/pages/csrf.ts. */
export const CSRF_FIELD = '_csrf'

export function csrfField(token: string): SafeHTML {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />`
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`
}

/** "Email" + "is not a valid email address" → "Email is not a valid email address." */
export function fieldMessage(label: string, predicate: string): string {
  const text = `${label} ${predicate}`
  return /[.!?]$/.test(text) ? text : `${text}.`
}

export interface InputSpec {
  readonly name: string
  readonly label: string
  readonly type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'date' | undefined
  readonly hint?: string | undefined
  readonly autocomplete?: string | undefined
  readonly required?: boolean | undefined
  readonly maxLength?: number | undefined
  readonly inputMode?: 'numeric' | 'decimal' | undefined
  /** Filters are all optional; saying so on each one is noise. */
  readonly markOptional?: boolean | undefined
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((x) => x !== '')
  return ids.length === 0 ? undefined : ids.join(' ')
}

function errorLine(id: string, label: string, error: string | undefined): SafeHTML | false {
  return (
    error !== undefined &&
    html`<p class="field-error" id="${id}-error">${fieldMessage(label, error)}</p>`
  )
}

/** A labelled input; the user's value comes back from `form`, except for passwords. */
export function input(spec: InputSpec, form: FormState): SafeHTML {
  const id = fieldId(spec.name)
  const type = spec.type ?? 'text'
  const error = form.errors[spec.name]
  // A password is never written back into the page (it would sit in the HTML and the history).
  const value = type === 'password' ? undefined : form.values[spec.name]
  return html`<div class="field${error !== undefined ? ' has-error' : ''}">
    <label for="${id}"
      >${spec.label}${!spec.required && spec.markOptional !== false && html` <span class="optional">(optional)</span>`}</label
    >
    ${spec.hint !== undefined && html`<p class="hint" id="${id}-hint">${spec.hint}</p>`}
    ${errorLine(id, spec.label, error)}
    <input
      id="${id}"
      name="${spec.name}"
      type="${type}"
      ${attr('value', value)}${attr('autocomplete', spec.autocomplete)}${attr('maxlength', spec.maxLength)}${attr('inputmode', spec.inputMode)}${flag('required', spec.required === true)}${attr('aria-invalid', error !== undefined && 'true')}${attr('aria-describedby', describedBy(id, spec.hint !== undefined, error !== undefined))}
    />
  </div>`
}

export function checkbox(
  spec: { name: string; label: string; hint?: string },
  form: FormState,
): SafeHTML {
  const id = fieldId(spec.name)
  const error = form.errors[spec.name]
  const checked = form.values[spec.name] === 'on'
  return html`<div class="field field-check${error !== undefined ? ' has-error' : ''}">
    ${errorLine(id, spec.label, error)}
    <input
      id="${id}"
      name="${spec.name}"
      type="checkbox"
      value="on"
      ${flag('checked', checked)}${attr('aria-invalid', error !== undefined && 'true')}${attr('aria-describedby', describedBy(id, spec.hint !== undefined, error !== undefined))}
    />
    <label for="${id}">${spec.label}</label>
    ${spec.hint !== undefined && html`<p class="hint" id="${id}-hint">${spec.hint}</p>`}
  </div>`
}

export interface Option {
  readonly value: string
  readonly label: string
}

export function select(
  spec: { name: string; label: string; options: readonly Option[]; id?: string },
  selected: string,
  error?: string,
): SafeHTML {
  const id = spec.id ?? fieldId(spec.name)
  return html`<div class="field${error !== undefined ? ' has-error' : ''}">
    <label for="${id}">${spec.label}</label>
    ${errorLine(id, spec.label, error)}
    <select
      id="${id}"
      name="${spec.name}"
      ${attr('aria-invalid', error !== undefined && 'true')}${attr('aria-describedby', error !== undefined && `${id}-error`)}
    >
      ${spec.options.map((o) => html`<option value="${o.value}" ${flag('selected', o.value === selected)}>${o.label}</option>`)}
    </select>
  </div>`
}

/**
 * The list of problems at the top of a form, each a link to its field (the GOV.UK error summary
 * pattern): a screen reader user hears it first, and anyone can jump straight to the field.
 */
export function errorSummary(form: FormState, labels: Readonly<Record<string, string>>): SafeHTML {
  const entries = Object.entries(form.errors)
  if (form.formError === undefined && entries.length === 0) return html``
  return html`<div class="error-summary" role="alert" id="form-errors" tabindex="-1">
    <h2>There is a problem</h2>
    ${form.formError !== undefined && html`<p>${form.formError}</p>`}
    ${
      entries.length > 0 &&
      html`<ul>
        ${entries.map(([name, predicate]) => html`<li><a href="#${fieldId(name)}">${fieldMessage(labels[name] ?? name, predicate)}</a></li>`)}
      </ul>`
    }
  </div>`
}

/** A one-button form posting to `action`: how every state change that needs no input is sent. */
export function actionButton(spec: {
  action: string
  label: string
  csrfToken: string
  variant?: 'primary' | 'secondary' | 'danger' | 'link'
  hidden?: Readonly<Record<string, string>>
  /**
   * Says which row the button acts on, for screen readers (visually hidden). It follows the
   * visible label, so the accessible name still starts with what is seen (WCAG 2.5.3).
   */
  context?: string
}): SafeHTML {
  const hidden = Object.entries(spec.hidden ?? {})
  return html`<form method="post" action="${spec.action}" class="inline-form">
    ${csrfField(spec.csrfToken)}
    ${hidden.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
    <button type="submit" class="button ${spec.variant ?? 'secondary'}">
      ${spec.label}${spec.context !== undefined && html`<span class="visually-hidden"> ${spec.context}</span>`}
    </button>
  </form>`
}
