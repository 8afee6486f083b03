import { formatValidity, linkTo, renderMail, type MailBrand, type RenderedMail } from './layout.js'

export function resetPasswordMail(
  brand: MailBrand,
  mail: { readonly token: string; readonly validForSeconds: number },
): RenderedMail {
  return renderMail(brand, `Reset your ${brand.productName} password`, {
    heading: 'Reset your password',
    before: [
      `Someone asked to reset the password of the ${brand.productName} account with this email address. If it was you, choose a new password:`,
    ],
    action: { label: 'Choose a new password', url: linkTo(brand, '/reset-password', mail.token) },
    after: [
      `The link works once, for ${formatValidity(mail.validForSeconds)}. Asking again makes this link stop working.`,
      'If you did not ask, ignore this mail: your password stays as it is. Never forward this link; anyone who has it can set your password.',
    ],
  })
}
