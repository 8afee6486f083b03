import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { clearSessionCookie } from '../../http/cookies.js'
import { principalOf, requestContext } from '../../http/guards.js'
import { PASSWORD_CHANGE_LIMITS } from '../../http/rate-limit.js'
import { EMPTY_FORM, type FormState } from '../../views/model.js'
import { securitySettingsPage } from '../../views/pages/security-settings.js'
import { verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { formStateOf, param, readForm, text } from '../form.js'
import type { PageDeps } from '../page-deps.js'
import { allowPasskeyScript, PASSKEY_SCRIPT_HREF } from '../passkey-script.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

export function securityPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps
  const guarded = { preHandler: [deps.signedIn, verifySessionForm] }

  async function showPage(
    request: FastifyRequest,
    reply: FastifyReply,
    passwordForm: FormState,
    status = 200,
  ): Promise<FastifyReply> {
    const principal = principalOf(request)
    const sessions = await auth.listSessions(principal)
    const mfa = await auth.mfaStatus(principal)
    const passkeys = { items: await auth.listPasskeys(principal), scriptHref: PASSKEY_SCRIPT_HREF }
    const model = {
      passwordForm,
      passwordMinLength: auth.settings.passwordMinLength,
      sessions,
      twoFactor: {
        enabled: mfa.totpEnabled,
        pending: mfa.totpPending,
        recoveryCodesLeft: mfa.recoveryCodesLeft,
      },
      passkeys,
      linkedAccounts: {
        providers: auth.oauthProviders(),
        identities: await auth.listIdentities(principal),
      },
    }
    return sendPage(
      reply,
      securitySettingsPage(chromeOf(request, reply, deps.stylesheetHref), model),
      status,
    )
  }

  // The one settings view that runs the passkey script (it adds passkeys).
  const page = { preHandler: deps.signedIn, onSend: allowPasskeyScript }
  app.get('/settings/security', page, async (request, reply) =>
    showPage(request, reply, EMPTY_FORM),
  )

  app.post(
    '/settings/security/password',
    { ...guarded, onRequest: deps.limit(PASSWORD_CHANGE_LIMITS) },
    async (request, reply) => {
      const form = readForm(request.body)
      const input = {
        currentPassword: text(form, 'current_password'),
        newPassword: text(form, 'new_password'),
      }
      try {
        await auth.changePassword(principalOf(request), input, requestContext(request))
        setFlash(reply, 'password-changed')
        return seeOther(reply, '/settings/security')
      } catch (error) {
        // Neither password is ever written back into the page.
        const shown = formStateOf(
          error,
          {},
          {
            invalid_credentials: { field: 'current_password', message: 'is not right' },
          },
        )
        if (shown === null) throw error
        return showPage(request, reply, shown.form, shown.status)
      }
    },
  )

  app.post('/settings/security/sessions/:id/revoke', guarded, async (request, reply) => {
    const id = param(request.params, 'id')
    const principal = principalOf(request)
    await auth.revokeSession(principal, id, requestContext(request))
    if (id !== principal.session.id) {
      setFlash(reply, 'session-revoked')
      return seeOther(reply, '/settings/security')
    }
    // Signing out this very device is a logout.
    clearSessionCookie(reply)
    setFlash(reply, 'signed-out')
    return seeOther(reply, '/login')
  })

  app.post('/settings/security/sessions/revoke-all', guarded, async (request, reply) => {
    await auth.logoutAll(principalOf(request), requestContext(request))
    clearSessionCookie(reply)
    setFlash(reply, 'signed-out-everywhere')
    return seeOther(reply, '/login')
  })
}
