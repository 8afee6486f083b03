import { csrfField } from './components/form.js'
import { displayName } from './format.js'
import { attr, html, type SafeHTML } from './html.js'
import type { Chrome, PageContent } from './model.js'

interface NavLink {
  readonly href: string
  readonly label: string
}

function navLinks(chrome: Chrome): NavLink[] {
  if (chrome.user === null) {
    return [
      { href: '/', label: 'Home' },
      { href: '/login', label: 'Sign in' },
      { href: '/register', label: 'Create account' },
    ]
  }
  const links = [
    { href: '/', label: 'Home' },
    { href: '/profile', label: 'Profile' },
    { href: '/settings/security', label: 'Security' },
  ]
  if (chrome.user.role === 'admin') {
    links.push(
      { href: '/admin/users', label: 'Users' },
      { href: '/admin/audit', label: 'Audit log' },
    )
  }
  return links
}

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
}

function nav(chrome: Chrome): SafeHTML {
  const links = navLinks(chrome).map(
    (link) =>
      html`<li>
        <a href="${link.href}" ${attr('aria-current', isCurrent(chrome.path, link.href) && 'page')}
          >${link.label}</a
        >
      </li>`,
  )
  // Sign-out is a POST with the CSRF token (SEC-CSRF-03): a link would let any page log you out.
  const signOut =
    chrome.user !== null &&
    html`<form method="post" action="/logout" class="signout">
      ${csrfField(chrome.csrfToken)}
      <span class="who">${displayName(chrome.user)}</span>
      <button type="submit" class="button link">Sign out</button>
    </form>`
  return html`<nav aria-label="Main">
    <ul>
      ${links}
    </ul>
    ${signOut}
  </nav>`
}

function flash(chrome: Chrome): SafeHTML | false {
  const message = chrome.flash
  if (message === null) return false
  // role=status is announced politely; an error flash interrupts, as it changes what to do next.
  const role = message.kind === 'error' ? 'alert' : 'status'
  return html`<div class="flash flash-${message.kind}" role="${role}">${message.text}</div>`
}

/** The one page frame: skip link, header with navigation, flash, main content, footer. */
export function layout(chrome: Chrome, content: PageContent): SafeHTML {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>${content.title} · Latchkey</title>
        <link rel="stylesheet" href="${chrome.stylesheetHref}" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/">Latchkey</a>
          ${nav(chrome)}
        </header>
        <main id="main" tabindex="-1">
          ${flash(chrome)}
          <h1>${content.title}</h1>
          ${content.main}
        </main>
        <footer class="site-footer"><p>Latchkey · works without JavaScript</p></footer>
      </body>
    </html> `
}
