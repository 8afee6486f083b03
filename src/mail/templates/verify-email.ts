import { formatValidity, linkTo, renderMail, type MailBrand, type RenderedMail } from './layout.js'

export function verifyEmailMail(
  brand: MailBrand,
  mail: { readonly token: string; readonly validForSeconds: number },
): RenderedMail {
  return renderMail(brand, `Confirm your email address for ${brand.productName}`, {
    heading: 'Confirm your email address',
    before: [
      `Someone, hopefully you, created a ${brand.productName} account with this email address. Confirm that it is yours:`,
    ],
    action: { label: 'Confirm email address', url: linkTo(brand, '/verify-email', mail.token) },
    after: [
      `The link works once, for ${formatValidity(mail.validForSeconds)}.`,
      'If you did not sign up, ignore this mail: nothing happens without the link.',
    ],
  })
}
