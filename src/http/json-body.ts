import type { FastifyInstance } from 'fastify'

/**
 * The JSON API reads application/json and nothing else. Dropping Fastify's text/plain parser
 * (and having no form parser) means a cross-site form or `text/plain` post, which a browser sends
 * without a CORS preflight, is refused with 400 before any route runs: this is what stops login
 * CSRF (SEC-CSRF-03) and what api.md asks for ("400 ... wrong content type for the route").
 */
export function acceptJSONBodiesOnly(app: FastifyInstance, bodyLimitBytes: number): void {
  app.removeAllContentTypeParsers()
  // Prototype-poisoning keys (`__proto__`, `constructor.prototype`) are a 400, not a merge.
  const parseJSON = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: bodyLimitBytes },
    (request, body, done) => {
      // fetch() clients often send the JSON content type on bodyless POSTs (logout): no body.
      const text = typeof body === 'string' ? body : body.toString('utf8')
      if (text.length === 0) {
        done(null, undefined)
        return
      }
      void parseJSON(request, text, done) // synchronous: it calls done itself
    },
  )
}
