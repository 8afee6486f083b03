import type { FastifyInstance } from 'fastify'
import { clearSessionCookie } from '../../http/cookies.js'
import { principalOf, requestContext } from '../../http/guards.js'
import { REGISTER_LIMITS } from '../../http/rate-limit.js'
import { EMPTY_FORM } from '../../views/model.js'
import { logoutPage } from '../../views/pages/logout.js'
import { registerPage } from '../../views/pages/register.js'
import { verifyAnonymousForm, verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { formStateOf, keep, readForm, text } from '../form.js'
import { nextFromQuery, safeNextPath } from '../next-path.js'
import type { PageDeps } from '../page-deps.js'
import { loginURL } from '../page-session.js'
import { profileFieldsOf, profileFormNames, readProfileFields } from '../profile-form.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

export function authPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps

  const profileFields = profileFieldsOf(auth.settings).filter((field) => field.required)
  const registerModel = {
    passwordMinLength: auth.settings.passwordMinLength,
    requiredProfileFields: profileFields,
  }

  app.get('/register', { preHandler: deps.maybeSignedIn }, async (request, reply) => {
    const next = nextFromQuery(request.query)
    if (request.principal !== null) return seeOther(reply, next)
    const chrome = chromeOf(request, reply, deps.stylesheetHref)
    return sendPage(reply, registerPage(chrome, { ...registerModel, form: EMPTY_FORM, next }))
  })

  app.post(
    '/register',
    { onRequest: deps.limit(REGISTER_LIMITS), preHandler: verifyAnonymousForm },
    async (request, reply) => {
      const form = readForm(request.body)
      const next = safeNextPath(text(form, 'next'))
      const optional = (name: string): string | undefined =>
        text(form, name).trim() === '' ? undefined : text(form, name)
      try {
        const profile = readProfileFields(form, profileFields)
        await auth.register(
          {
            email: text(form, 'email'),
            password: text(form, 'password'),
            username: optional('username'),
            name: optional('name'),
            profile,
          },
          requestContext(request),
        )
        setFlash(reply, 'registered')
        return seeOther(reply, loginURL(next))
      } catch (error) {
        const shown = formStateOf(
          error,
          keep(form, ['email', 'username', 'name', ...profileFormNames(profileFields)]),
          {
            email_taken: { field: 'email', message: 'is already registered' },
            username_taken: { field: 'username', message: 'is already taken' },
          },
        )
        if (shown === null) throw error
        const chrome = chromeOf(request, reply, deps.stylesheetHref)
        return sendPage(
          reply,
          registerPage(chrome, { ...registerModel, form: shown.form, next }),
          shown.status,
        )
      }
    },
  )

  // GET shows a confirmation button, for people who type the address: GET never signs out.
  app.get('/logout', { preHandler: deps.maybeSignedIn }, async (request, reply) => {
    if (request.principal === null) return seeOther(reply, '/')
    return sendPage(reply, logoutPage(chromeOf(request, reply, deps.stylesheetHref)))
  })

  app.post(
    '/logout',
    { preHandler: [deps.signedIn, verifySessionForm] },
    async (request, reply) => {
      await auth.logout(principalOf(request), requestContext(request))
      clearSessionCookie(reply)
      setFlash(reply, 'signed-out')
      return seeOther(reply, '/login')
    },
  )
}
