import type { FastifyInstance } from 'fastify'
import { principalOf, requestContext } from '../../http/guards.js'
import type { FormState } from '../../views/model.js'
import { homePage } from '../../views/pages/home.js'
import { profileEditPage } from '../../views/pages/profile-edit.js'
import { profilePage } from '../../views/pages/profile.js'
import { securePage } from '../../views/pages/secure.js'
import { verifySessionForm } from '../csrf.js'
import { setFlash } from '../flash.js'
import { formStateOf, keep, readForm, text } from '../form.js'
import type { PageDeps } from '../page-deps.js'
import {
  profileFieldsOf,
  profileFormNames,
  profileFormValues,
  readProfileFields,
} from '../profile-form.js'
import { chromeOf, seeOther, sendPage } from '../render.js'

export function accountPageRoutes(app: FastifyInstance, deps: PageDeps): void {
  const { auth } = deps
  const profileFields = profileFieldsOf(auth.settings)

  app.get('/', { preHandler: deps.maybeSignedIn }, async (request, reply) =>
    sendPage(reply, homePage(chromeOf(request, reply, deps.stylesheetHref))),
  )

  app.get('/secure', { preHandler: deps.signedIn }, async (request, reply) => {
    const { user, session } = principalOf(request)
    return sendPage(
      reply,
      securePage(chromeOf(request, reply, deps.stylesheetHref), { user, session }),
    )
  })

  app.get('/profile', { preHandler: deps.signedIn }, async (request, reply) => {
    const { user } = principalOf(request)
    return sendPage(
      reply,
      profilePage(chromeOf(request, reply, deps.stylesheetHref), { user, profileFields }),
    )
  })

  app.get('/profile/edit', { preHandler: deps.signedIn }, async (request, reply) => {
    const { user } = principalOf(request)
    const form: FormState = {
      values: {
        name: user.name ?? '',
        username: user.username ?? '',
        ...profileFormValues(user.profile, profileFields),
      },
      errors: {},
    }
    return sendPage(
      reply,
      profileEditPage(chromeOf(request, reply, deps.stylesheetHref), { form, profileFields }),
    )
  })

  app.post(
    '/profile/edit',
    { preHandler: [deps.signedIn, verifySessionForm] },
    async (request, reply) => {
      const form = readForm(request.body)
      const blankToNull = (name: string): string | null =>
        text(form, name).trim() === '' ? null : text(form, name)
      try {
        await auth.updateMe(
          principalOf(request),
          {
            name: blankToNull('name'),
            username: blankToNull('username'),
            profile: readProfileFields(form, profileFields),
          },
          requestContext(request),
        )
        setFlash(reply, 'profile-saved')
        return seeOther(reply, '/profile')
      } catch (error) {
        const shown = formStateOf(
          error,
          keep(form, ['name', 'username', ...profileFormNames(profileFields)]),
          {
            username_taken: { field: 'username', message: 'is already taken' },
          },
        )
        if (shown === null) throw error
        const chrome = chromeOf(request, reply, deps.stylesheetHref)
        return sendPage(
          reply,
          profileEditPage(chrome, { form: shown.form, profileFields }),
          shown.status,
        )
      }
    },
  )
}
