import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome } from '../model.js'

export interface ErrorModel {
  readonly status: number
  readonly title: string
  /** A fixed text chosen by the server, never the request's content. */
  readonly message: string
}

export function errorPage(chrome: Chrome, model: ErrorModel): SafeHTML {
  const main = html`<div class="card narrow">
    <p class="lead">${model.message}</p>
    <p class="muted">Error ${model.status}</p>
    <p class="actions"><a class="button primary" href="/">Go to the home page</a></p>
  </div>`
  return layout(chrome, { title: model.title, main })
}
