import { formatTime, linkTo, renderMail, type MailBrand, type RenderedMail } from './layout.js'

/** SEC-RESET-04: a completed reset is announced to the account's address. */
export function passwordResetMail(brand: MailBrand, mail: { readonly at: Date }): RenderedMail {
  return renderMail(brand, `Your ${brand.productName} password was reset`, {
    heading: 'Your password was reset',
    before: [
      `The password of your ${brand.productName} account was reset on ${formatTime(mail.at)} with a link sent to this address. Every device signed in to the account has been signed out.`,
      'If this was you, sign in with your new password.',
      'If it was not you, someone can read this mailbox. Secure your email account first, then reset your password again:',
    ],
    action: { label: 'Reset your password', url: linkTo(brand, '/forgot-password') },
    after: [],
  })
}
