// Passkeys for the HTML pages: progressive enhancement over pages that work without it. Served
// as a file under `script-src 'self'` (no inline script), and only on the pages that need it.
// It talks to the JSON API (same origin, session cookie, application/json as its CSRF check
// asks) and converts between the W3C JSON forms and the ArrayBuffers the browser API takes.
/* global window, document, navigator, fetch, location, btoa, atob -- it runs in the browser */
'use strict'
;(function passkeys() {
  if (typeof window.PublicKeyCredential !== 'function' || !navigator.credentials) return

  function toBuffer(base64url) {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/')
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
    const binary = atob(padded)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
    return bytes.buffer
  }

  function toBase64URL(buffer) {
    const bytes = new Uint8Array(buffer)
    let binary = ''
    for (let i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i])
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  }

  function descriptors(list) {
    return (list || []).map((d) => ({ id: toBuffer(d.id), type: d.type, transports: d.transports }))
  }

  function creationOptions(json) {
    return Object.assign({}, json, {
      challenge: toBuffer(json.challenge),
      user: Object.assign({}, json.user, { id: toBuffer(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials),
    })
  }

  function requestOptions(json) {
    return Object.assign({}, json, {
      challenge: toBuffer(json.challenge),
      allowCredentials: descriptors(json.allowCredentials),
    })
  }

  function optional(value) {
    return value === null || value === undefined ? undefined : value
  }

  // Only the members the server's schema names, whatever else a browser's toJSON() might add.
  function registrationJSON(credential) {
    const r = credential.response
    const publicKey = typeof r.getPublicKey === 'function' ? r.getPublicKey() : null
    const authData = typeof r.getAuthenticatorData === 'function' ? r.getAuthenticatorData() : null
    return {
      id: credential.id,
      rawId: toBase64URL(credential.rawId),
      type: credential.type,
      authenticatorAttachment: optional(credential.authenticatorAttachment),
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64URL(r.clientDataJSON),
        attestationObject: toBase64URL(r.attestationObject),
        authenticatorData: authData ? toBase64URL(authData) : undefined,
        transports: typeof r.getTransports === 'function' ? r.getTransports() : undefined,
        publicKeyAlgorithm:
          typeof r.getPublicKeyAlgorithm === 'function' ? r.getPublicKeyAlgorithm() : undefined,
        publicKey: publicKey ? toBase64URL(publicKey) : undefined,
      },
    }
  }

  function authenticationJSON(credential) {
    const r = credential.response
    return {
      id: credential.id,
      rawId: toBase64URL(credential.rawId),
      type: credential.type,
      authenticatorAttachment: optional(credential.authenticatorAttachment),
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64URL(r.clientDataJSON),
        authenticatorData: toBase64URL(r.authenticatorData),
        signature: toBase64URL(r.signature),
        userHandle: r.userHandle ? toBase64URL(r.userHandle) : undefined,
      },
    }
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    })
    const data = await response.json().catch(() => ({}))
    if (!response.ok) throw new Error(data.detail || 'The server refused the request.')
    return data
  }

  function say(status, text) {
    if (status) status.textContent = text
  }

  function failure(error) {
    // A dismissed or timed-out browser prompt is not worth alarming anyone about.
    if (error && error.name === 'NotAllowedError') return 'The passkey prompt was closed.'
    return error && error.message ? error.message : 'Something went wrong.'
  }

  function enhanceRegister(button) {
    const status = document.getElementById(button.dataset.status || '')
    const nameInput = document.getElementById(button.dataset.nameInput || '')
    button.hidden = false
    if (nameInput && nameInput.closest('.field')) nameInput.closest('.field').hidden = false
    button.addEventListener('click', async () => {
      button.disabled = true
      say(status, 'Follow your browser’s prompt to create a passkey…')
      try {
        const options = await post('/auth/passkeys/register/options', {})
        const credential = await navigator.credentials.create({
          publicKey: creationOptions(options),
        })
        const name = nameInput && nameInput.value.trim() !== '' ? nameInput.value.trim() : undefined
        await post('/auth/passkeys/register/verify', {
          credential: registrationJSON(credential),
          name,
        })
        say(status, 'Passkey added.')
        location.reload()
      } catch (error) {
        say(status, failure(error))
        button.disabled = false
      }
    })
  }

  function enhanceLogin(button) {
    const status = document.getElementById(button.dataset.status || '')
    const given = button.dataset.next || '/'
    // The page put a checked local path here; checked again so nothing else can steer us away.
    const next =
      given.startsWith('/') && !given.startsWith('//') && !given.startsWith('/\\') ? given : '/'
    const section = button.closest('[data-passkey-section]')
    if (section) section.hidden = false
    button.hidden = false
    button.addEventListener('click', async () => {
      button.disabled = true
      say(status, 'Follow your browser’s prompt to use your passkey…')
      try {
        const options = await post('/auth/passkeys/login/options', {})
        const credential = await navigator.credentials.get({ publicKey: requestOptions(options) })
        await post('/auth/passkeys/login/verify', { credential: authenticationJSON(credential) })
        say(status, 'Signed in.')
        location.assign(next)
      } catch (error) {
        say(status, failure(error))
        button.disabled = false
      }
    })
  }

  document.querySelectorAll('[data-passkey-register]').forEach(enhanceRegister)
  document.querySelectorAll('[data-passkey-login]').forEach(enhanceLogin)
})()
