// The two-factor and passkey part of the `Auth` interface (auth-api.ts extends it).
// WebAuthn options and responses keep the W3C JSON shapes (camelCase) end to end: browsers and
// client libraries (PublicKeyCredential.parseCreationOptionsFromJSON, @simplewebauthn/browser)
// read and write exactly these, so they are passed through, not renamed.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'
import type { IssuedTokens, Principal } from '../auth-api.js'
import type { RequestContext } from '../types.js'

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
}

/** What an authenticator app needs; returned by setup, and again until the factor is enabled. */
export interface TotpSetup {
  /** Base32, for typing in by hand. */
  readonly secret: string
  /** `otpauth://totp/...`, the content of the QR code. */
  readonly otpauthURL: string
}

export interface MfaStatus {
  readonly totpEnabled: boolean
  /** Set up but not yet confirmed with a first code. */
  readonly totpPending: boolean
  readonly recoveryCodesLeft: number
}

export interface MfaLoginInput {
  /** The ticket a password login answered with (`mfa_required`). */
  readonly mfaToken: string
  /** A TOTP code or a recovery code. */
  readonly code: string
}

/** A registered passkey as its owner sees it; never the public key. */
export interface Passkey {
  /** A short, URL-safe handle (credential ids can be over a kilobyte). */
  readonly id: string
  readonly name: string | null
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
}

export interface PasskeyRegistrationInput {
  readonly response: RegistrationResponseJSON
  readonly name?: string | undefined
}

export interface MfaAuth {
  /**
   * The second step of a login that answered `mfa_required`: a new session once the code is
   * right (SEC-SESS-03). Throws `invalid_mfa_token` (unknown, expired or used ticket),
   * `invalid_mfa_code` or `rate_limited`.
   */
  completeMfaLogin(input: MfaLoginInput, ctx: RequestContext): Promise<IssuedTokens>
  /** A new pending TOTP secret; `mfa_already_enabled` when 2FA is on (re-enrol = disable first). */
  setupTotp(principal: Principal, ctx: RequestContext): Promise<TotpSetup>
  /** The pending set-up, so a page can show its QR code again; null once enabled. */
  pendingTotpSetup(principal: Principal): Promise<TotpSetup | null>
  /** Confirms the pending factor with a first code; returns the recovery codes, shown once. */
  enableTotp(principal: Principal, code: string, ctx: RequestContext): Promise<readonly string[]>
  /** Needs a current TOTP or recovery code (SEC-MFA-05). */
  disableTotp(principal: Principal, code: string, ctx: RequestContext): Promise<void>
  /** Replaces the whole set; needs a current TOTP or recovery code. */
  regenerateRecoveryCodes(
    principal: Principal,
    code: string,
    ctx: RequestContext,
  ): Promise<readonly string[]>
  mfaStatus(principal: Principal): Promise<MfaStatus>

  passkeyRegistrationOptions(
    principal: Principal,
    ctx: RequestContext,
  ): Promise<PublicKeyCredentialCreationOptionsJSON>
  /** Throws `passkey_rejected` for a response that does not verify. */
  registerPasskey(
    principal: Principal,
    input: PasskeyRegistrationInput,
    ctx: RequestContext,
  ): Promise<Passkey>
  passkeyLoginOptions(ctx: RequestContext): Promise<PublicKeyCredentialRequestOptionsJSON>
  /** A passkey with user verification is two factors in one: no `mfa_required` step follows. */
  loginWithPasskey(response: AuthenticationResponseJSON, ctx: RequestContext): Promise<IssuedTokens>
  listPasskeys(principal: Principal): Promise<Passkey[]>
  /** 404 (`not_found`) for a passkey that is not the caller's. */
  deletePasskey(principal: Principal, id: string, ctx: RequestContext): Promise<void>
}
