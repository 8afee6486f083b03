import type { Compilable, CompiledQuery, QueryResult } from 'kysely'
import type { SqlKind } from './dialects/sql-dialect.js'
import type { SqlContext } from './sql-context.js'

// Real values never contain NUL (guarded-dialect.ts refuses them before any driver sees one), so
// a stand-in cannot be mistaken for a value; and stand-ins themselves never reach a driver.
const STAND_IN = '\u0000latchkey-value:'

/** The stand-in for the value at `index`, typed as whatever the builder expects in its place. */
export type Value = <T>(index: number) => T

type Slot = { readonly index: number } | { readonly constant: unknown }

interface Template {
  readonly compiled: CompiledQuery
  readonly slots: readonly Slot[]
  readonly arity: number
}

/**
 * A statement of a hot path (login, refresh), built with Kysely and compiled once per dialect,
 * then run with new values. Kysely builds an operation tree and compiles it to SQL on every call;
 * in a login's CPU profile that cost as much main-thread time as SQLite took to run the
 * statements. The query is built once with stand-ins for its values, and the compiled parameter
 * list is mapped back to them, so each value lands wherever the SQL puts it. Values the builder
 * was given as constants (a `limit`, say) stay as they were.
 */
export class PreparedQuery<Row> {
  readonly #build: (context: SqlContext, value: Value) => Compilable<Row>
  readonly #templates = new Map<SqlKind, Template>()

  constructor(build: (context: SqlContext, value: Value) => Compilable<Row>) {
    this.#build = build
  }

  /** Runs on `context.db` (the open transaction, if any) with `values` in stand-in order. */
  execute(context: SqlContext, ...values: unknown[]): Promise<QueryResult<Row>> {
    let template = this.#templates.get(context.kind)
    if (template === undefined) {
      template = this.#compile(context)
      this.#templates.set(context.kind, template)
    }
    if (values.length !== template.arity) {
      throw new TypeError(`prepared query takes ${template.arity} values, got ${values.length}`)
    }
    const parameters = template.slots.map((slot) =>
      'index' in slot ? values[slot.index] : slot.constant,
    )
    return context.db.executeQuery<Row>({ ...template.compiled, parameters })
  }

  #compile(context: SqlContext): Template {
    const compiled = this.#build(
      context,
      <T>(index: number) => `${STAND_IN}${index}` as T,
    ).compile()
    let arity = 0
    const slots = compiled.parameters.map((parameter): Slot => {
      if (typeof parameter !== 'string' || !parameter.startsWith(STAND_IN)) {
        return { constant: parameter }
      }
      const index = Number(parameter.slice(STAND_IN.length))
      arity = Math.max(arity, index + 1)
      return { index }
    })
    return { compiled, slots, arity }
  }
}
