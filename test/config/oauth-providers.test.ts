import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../src/config/env.ts'
import { ConfigError } from '../../src/config/config-error.ts'
import { loadOAuthProviders } from '../../src/config/oauth-providers.ts'

function refusal(env: Record<string, string>): string {
  try {
    loadOAuthProviders(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    return error.message
  }
  throw new Error('expected a ConfigError')
}

describe('social-login providers from the environment', () => {
  it('none by default', () => {
    assert.deepEqual(loadConfig({ SECRET_KEY: 'ab'.repeat(32) }).oauthProviders, [])
  })

  it('Google, GitHub, Facebook and any OIDC_<NAME> issuer, with defaults for endpoints', () => {
    const providers = loadOAuthProviders({
      GOOGLE_CLIENT_ID: 'g',
      GOOGLE_CLIENT_SECRET: 'gs',
      GITHUB_CLIENT_ID: 'h',
      GITHUB_CLIENT_SECRET: 'hs',
      FACEBOOK_CLIENT_ID: 'f',
      FACEBOOK_CLIENT_SECRET: 'fs',
      OIDC_MY_IDP_ISSUER: 'https://login.example.com/realms/main',
      OIDC_MY_IDP_CLIENT_ID: 'o',
      OIDC_MY_IDP_CLIENT_SECRET: 'os',
      OIDC_MY_IDP_LABEL: 'Example SSO',
      OIDC_OKTA_ISSUER: 'https://okta.example.com',
      OIDC_OKTA_CLIENT_ID: 'k',
      OIDC_OKTA_CLIENT_SECRET: 'ks',
    })
    assert.deepEqual(
      providers.map((p) => (p.kind === 'oidc' ? `${p.name}:${p.label}:${p.issuer}` : p.kind)),
      [
        'google:Google:https://accounts.google.com',
        'github',
        'facebook',
        'my-idp:Example SSO:https://login.example.com/realms/main',
        'okta:Okta:https://okta.example.com',
      ],
    )
    const github = providers.find((p) => p.kind === 'github')
    assert.equal(github?.kind === 'github' && github.apiURL, 'https://api.github.com')
  })

  it('half a credential pair names the missing variable, never the secret', () => {
    assert.match(refusal({ GOOGLE_CLIENT_ID: 'g' }), /^GOOGLE_CLIENT_SECRET: is required/)
    const message = refusal({ GITHUB_CLIENT_SECRET: 'very-secret-value' })
    assert.match(message, /^GITHUB_CLIENT_ID: /)
    assert.doesNotMatch(message, /very-secret-value/)
    assert.match(refusal({ OIDC_X_ISSUER: 'https://x.example' }), /^OIDC_X_CLIENT_ID: /)
  })

  it('endpoints must be https, or http on loopback only', () => {
    const base = { GOOGLE_CLIENT_ID: 'g', GOOGLE_CLIENT_SECRET: 'gs' }
    assert.match(
      refusal({ ...base, GOOGLE_ISSUER: 'http://idp.example.com' }),
      /^GOOGLE_ISSUER: expected an https URL/,
    )
    assert.match(refusal({ ...base, GOOGLE_ISSUER: 'not a url' }), /^GOOGLE_ISSUER: /)
    const local = loadOAuthProviders({ ...base, GOOGLE_ISSUER: 'http://127.0.0.1:4000' })
    assert.equal(local[0]?.kind === 'oidc' && local[0].issuer, 'http://127.0.0.1:4000')
  })

  it('a generic provider cannot take a built-in name', () => {
    assert.match(
      refusal({
        OIDC_GOOGLE_ISSUER: 'https://evil.example',
        OIDC_GOOGLE_CLIENT_ID: 'a',
        OIDC_GOOGLE_CLIENT_SECRET: 'b',
      }),
      /^OIDC_GOOGLE_ISSUER: /,
    )
  })
})
