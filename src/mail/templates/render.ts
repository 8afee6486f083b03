import type { AccountMail, MailMessage } from '../../core/ports.js'
import type { MailBrand, RenderedMail } from './layout.js'
import { passwordChangedMail } from './password-changed.js'
import { passwordResetMail } from './password-reset.js'
import { resetPasswordMail } from './reset-password.js'
import { verifyEmailMail } from './verify-email.js'

function renderBody(brand: MailBrand, mail: AccountMail): RenderedMail {
  switch (mail.kind) {
    case 'verify_email':
      return verifyEmailMail(brand, mail)
    case 'reset_password':
      return resetPasswordMail(brand, mail)
    case 'password_changed':
      return passwordChangedMail(brand, mail)
    case 'password_reset':
      return passwordResetMail(brand, mail)
  }
}

/** Core's request for a mail → the message, both parts, addressed. */
export function renderAccountMail(brand: MailBrand, mail: AccountMail): MailMessage {
  return { to: mail.to, ...renderBody(brand, mail) }
}
