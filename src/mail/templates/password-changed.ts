import { formatTime, linkTo, renderMail, type MailBrand, type RenderedMail } from './layout.js'

/** SEC-PWD-06: the owner hears of every change, so a change they did not make does not go unseen. */
export function passwordChangedMail(brand: MailBrand, mail: { readonly at: Date }): RenderedMail {
  return renderMail(brand, `Your ${brand.productName} password was changed`, {
    heading: 'Your password was changed',
    before: [
      `The password of your ${brand.productName} account was changed on ${formatTime(mail.at)}. Your other devices have been signed out.`,
      'If this was you, there is nothing more to do.',
      'If it was not you, someone else knows your password. Reset it now, and check the email address and sessions on your account:',
    ],
    action: { label: 'Reset your password', url: linkTo(brand, '/forgot-password') },
    after: [],
  })
}
