import { html, type SafeHTML } from './html.js'
import type { ViewUser } from './model.js'

/**
 * The server cannot know the reader's time zone without JavaScript, so times are shown in UTC and
 * say so; `datetime` carries the exact instant for assistive tools and copy-paste.
 */
export function time(date: Date): SafeHTML {
  const iso = date.toISOString()
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`
}

export function displayName(user: ViewUser): string {
  return user.name ?? user.username ?? user.email
}

/**
 * A short description of a browser from its User-Agent, for the sessions list. It is only a
 * hint to help people recognise their devices; the full string is kept in a title attribute.
 */
export function describeUserAgent(userAgent: string | null): string {
  if (userAgent === null || userAgent === '') return 'Unknown device'
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null
  if (browser === null) return userAgent.length > 60 ? `${userAgent.slice(0, 57)}...` : userAgent
  return os === null ? browser : `${browser} on ${os}`
}
