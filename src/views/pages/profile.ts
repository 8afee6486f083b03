import { time } from '../format.js'
import { html, type SafeHTML } from '../html.js'
import { layout } from '../layout.js'
import type { Chrome, ViewProfileField, ViewProfileValue, ViewUser } from '../model.js'
import { profileFieldLabel } from './profile-fields.js'

export interface ProfileModel {
  readonly user: ViewUser
  readonly profileFields: readonly ViewProfileField[]
}

function showValue(value: ViewProfileValue | undefined): SafeHTML | string {
  if (value === undefined || value === null || value === '')
    return html`<span class="muted">Not set</span>`
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  return String(value)
}

export function profilePage(chrome: Chrome, model: ProfileModel): SafeHTML {
  const { user } = model
  const main = html`<div class="card">
    <dl class="facts">
      <div>
        <dt>Name</dt>
        <dd>${showValue(user.name)}</dd>
      </div>
      <div>
        <dt>Username</dt>
        <dd>${showValue(user.username)}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>
          ${user.email}
          ${user.emailVerified ? html`<span class="badge ok">verified</span>` : html`<span class="badge">not verified</span>`}
        </dd>
      </div>
      <div>
        <dt>Role</dt>
        <dd>${user.role}</dd>
      </div>
      ${model.profileFields.map(
        (field) =>
          html`<div>
            <dt>${profileFieldLabel(field)}</dt>
            <dd>${showValue(user.profile[field.name])}</dd>
          </div>`,
      )}
      <div>
        <dt>Member since</dt>
        <dd>${time(user.createdAt)}</dd>
      </div>
    </dl>
    <p class="actions">
      <a class="button primary" href="/profile/edit">Edit profile</a>
      <a class="button secondary" href="/settings/security">Password and sessions</a>
    </p>
  </div>`
  return layout(chrome, { title: 'Your profile', main })
}
