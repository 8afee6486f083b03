// /settings/security's two-factor and passkey forms. The codes page is the answer to the post
// itself (no redirect), so recovery codes are shown once and never stored to be shown again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AuthError, type AuthErrorCode } from '../../core/errors.js'
import { principalOf, requestContext } from '../../http/guards.js'
import { MFA_CODE_LIMITS } from '../../http/mfa-limits.js'
import { renderQRCodeDataURI } from '../../http/qr.js'
import type { FlashCode } from '../../views/flash.js'
import { EMPTY_FORM, type FormState } from '../../views/model.js'
import { recoveryCodesPage, totpSetupPage } from '../../views/pages/two-factor-setup.js'
import { verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { formStateOf, param, readForm, text } from '../form.js'
import type { PageDeps } from '../page-deps.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

const SETTINGS = '/settings/security'

/** Refusals shown as a flash on the settings page; null: just go back (the page says why). */
const flashFor: Partial<Record<AuthErrorCode, FlashCode | null>> = {
  invalid_mfa_code: 'mfa-code-wrong',
  rate_limited: 'mfa-too-many',
  reauth_required: 'reauth-required',
  mfa_already_enabled: null,
  mfa_not_enabled: null,
  mfa_setup_required: null,
  not_found: null,
}

function backToSettings(reply: FastifyReply, error: unknown): FastifyReply {
  const flash = error instanceof AuthError ? flashFor[error.code] : undefined
  if (flash === undefined) throw error
  if (flash !== null) setFlash(reply, flash)
  return seeOther(reply, SETTINGS)
}

export function twoFactorPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps
  const guarded = { preHandler: [deps.signedIn, verifySessionForm] }
  const withCode = { ...guarded, onRequest: deps.limit(MFA_CODE_LIMITS) }

  async function showSetup(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status = 200,
  ): Promise<FastifyReply> {
    const setup = await auth.pendingTotpSetup(principalOf(request))
    if (setup === null) return seeOther(reply, SETTINGS)
    const qrDataURI = await renderQRCodeDataURI(setup.otpauthURL)
    const chrome = chromeOf(request, reply, deps.stylesheetHref)
    return sendPage(reply, totpSetupPage(chrome, { secret: setup.secret, qrDataURI, form }), status)
  }

  app.post(`${SETTINGS}/2fa/setup`, guarded, async (request, reply) => {
    try {
      await auth.setupTotp(principalOf(request), requestContext(request))
    } catch (error) {
      return backToSettings(reply, error)
    }
    return seeOther(reply, `${SETTINGS}/2fa`)
  })

  app.get(`${SETTINGS}/2fa`, { preHandler: deps.signedIn }, async (request, reply) =>
    showSetup(request, reply, EMPTY_FORM),
  )

  app.post(`${SETTINGS}/2fa/enable`, withCode, async (request, reply) => {
    const code = text(readForm(request.body), 'code')
    try {
      const codes = await auth.enableTotp(principalOf(request), code, requestContext(request))
      const chrome = chromeOf(request, reply, deps.stylesheetHref)
      return sendPage(reply, recoveryCodesPage(chrome, { codes, justEnabled: true }))
    } catch (error) {
      const shown = formStateOf(
        error,
        {},
        {
          invalid_mfa_code: {
            field: 'code',
            message: 'is not right; enter the code the app shows now',
          },
        },
      )
      if (shown === null) return backToSettings(reply, error)
      return showSetup(request, reply, shown.form, shown.status)
    }
  })

  app.post(`${SETTINGS}/2fa/disable`, withCode, async (request, reply) => {
    const code = text(readForm(request.body), 'disable_code')
    try {
      await auth.disableTotp(principalOf(request), code, requestContext(request))
    } catch (error) {
      return backToSettings(reply, error)
    }
    setFlash(reply, 'mfa-disabled')
    return seeOther(reply, SETTINGS)
  })

  app.post(`${SETTINGS}/2fa/recovery-codes`, withCode, async (request, reply) => {
    const code = text(readForm(request.body), 'regenerate_code')
    try {
      const principal = principalOf(request)
      const codes = await auth.regenerateRecoveryCodes(principal, code, requestContext(request))
      const chrome = chromeOf(request, reply, deps.stylesheetHref)
      return sendPage(reply, recoveryCodesPage(chrome, { codes, justEnabled: false }))
    } catch (error) {
      return backToSettings(reply, error)
    }
  })

  app.post(`${SETTINGS}/passkeys/:id/delete`, guarded, async (request, reply) => {
    const id = param(request.params, 'id')
    try {
      await auth.deletePasskey(principalOf(request), id, requestContext(request))
    } catch (error) {
      return backToSettings(reply, error)
    }
    setFlash(reply, 'passkey-deleted')
    return seeOther(reply, SETTINGS)
  })
}
