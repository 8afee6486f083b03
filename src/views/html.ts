// The one way HTML is written in Latchkey: a tagged template that escapes every interpolated
// value (SEC-INPUT-05). Only a SafeHTML value (the result of `html`...` or `html.raw`) passes
// through unescaped, so user data cannot become markup by accident.

/** Markup that is already safe: built by `html` from escaped parts, or a trusted constant. */
export class SafeHTML {
  readonly #markup: string

  constructor(markup: string) {
    this.#markup = markup
  }

  toString(): string {
    return this.#markup
  }
}

/**
 * What may be interpolated. `false`, `null` and `undefined` render nothing, so
 * `${cond && html`...`}` works; `true` and Dates are left out on purpose: they would render as
 * "true" or a locale-dependent date, which is always a bug in a page.
 */
export type Interpolation =
  SafeHTML | string | number | false | null | undefined | readonly Interpolation[]

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for element content and for quoted attribute values alike (OWASP XSS rule #1 and
 * #2). Attributes in our templates are always quoted, so these five characters are enough.
 */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

function render(value: Interpolation): string {
  if (value instanceof SafeHTML) return value.toString()
  if (value === false || value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return escapeHTML(value)
  return value.map(render).join('')
}

function htmlTag(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHTML {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '')
  })
  return new SafeHTML(out)
}

/** Marks a trusted fragment (a constant, never user data) as markup. */
function raw(trusted: string): SafeHTML {
  return new SafeHTML(trusted)
}

export const html: typeof htmlTag & { readonly raw: typeof raw } = Object.assign(htmlTag, { raw })

/** ` name="value"` when value is given, nothing otherwise; the name is a literal in our code. */
export function attr(name: string, value: string | number | undefined | null | false): SafeHTML {
  if (value === undefined || value === null || value === false) return html.raw('')
  return html.raw(` ${name}="${escapeHTML(String(value))}"`)
}

/** A boolean attribute such as `required` or `selected`. */
export function flag(name: string, on: boolean): SafeHTML {
  return html.raw(on ? ` ${name}` : '')
}
