import type { CoreContext } from '../context.js'
import { completeMfaLogin } from './mfa-challenge.js'
import type { MfaAuth } from './mfa-api.js'
import { loginWithPasskey, passkeyLoginOptions } from './passkey-login.js'
import * as passkeys from './passkeys.js'
import * as totp from './totp-factor.js'

/** The MfaAuth methods over the shared core context; createAuth spreads them into `Auth`. */
export function createMfaMethods(ctx: CoreContext): MfaAuth {
  return {
    completeMfaLogin: (input, req) => completeMfaLogin(ctx, input, req),
    setupTotp: (principal) => totp.setupTotp(ctx, principal),
    pendingTotpSetup: (principal) => totp.pendingTotpSetup(ctx, principal),
    enableTotp: (principal, code, req) => totp.enableTotp(ctx, principal, code, req),
    disableTotp: (principal, code, req) => totp.disableTotp(ctx, principal, code, req),
    regenerateRecoveryCodes: (principal, code, req) =>
      totp.regenerateRecoveryCodes(ctx, principal, code, req),
    mfaStatus: (principal) => totp.mfaStatus(ctx, principal),
    passkeyRegistrationOptions: (principal) => passkeys.passkeyRegistrationOptions(ctx, principal),
    registerPasskey: (principal, input, req) =>
      passkeys.registerPasskey(ctx, principal, input, req),
    passkeyLoginOptions: () => passkeyLoginOptions(ctx),
    loginWithPasskey: (response, req) => loginWithPasskey(ctx, response, req),
    listPasskeys: (principal) => passkeys.listPasskeys(ctx, principal),
    deletePasskey: (principal, id, req) => passkeys.deletePasskey(ctx, principal, id, req),
  }
}
