import type { FastifyInstance } from 'fastify'
import { loginPasskeyPage } from '../../views/pages/login-passkey.js'
import { nextFromQuery } from '../next-path.js'
import type { PageDeps } from '../page-deps.js'
import { allowPasskeyScript, PASSKEY_SCRIPT_HREF, passkeyScriptRoute } from '../passkey-script.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

/**
 * The passkey sign-in page. The ceremony itself runs in the browser against the JSON API
 * (POST /auth/passkeys/login/options and /verify), which sets the session cookie.
 */
export function passkeyLoginPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  passkeyScriptRoute(app)
  const page = { preHandler: deps.maybeSignedIn, onSend: allowPasskeyScript }
  app.get('/login/passkey', page, async (request, reply) => {
    const next = nextFromQuery(request.query)
    if (request.principal !== null) return seeOther(reply, next)
    const chrome = chromeOf(request, reply, deps.stylesheetHref)
    return sendPage(reply, loginPasskeyPage(chrome, { next, scriptHref: PASSKEY_SCRIPT_HREF }))
  })
}
