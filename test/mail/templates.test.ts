import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AccountMail } from '../../src/core/ports.ts'
import { formatValidity, renderMail } from '../../src/mail/templates/layout.ts'
import { renderAccountMail } from '../../src/mail/templates/render.ts'

const brand = { productName: 'Latchkey', publicUrl: 'https://auth.example.test/id' }
const token = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6cXV1enF1dXo'

const mails: AccountMail[] = [
  { kind: 'verify_email', to: 'ada@example.com', token, validForSeconds: 86_400 },
  { kind: 'reset_password', to: 'ada@example.com', token, validForSeconds: 1800 },
  { kind: 'password_changed', to: 'ada@example.com', at: new Date('2026-03-01T12:34:56Z') },
  { kind: 'password_reset', to: 'ada@example.com', at: new Date('2026-03-01T12:34:56Z') },
]

describe('mail templates', () => {
  it('give every mail a subject, a text and an HTML part naming the product', () => {
    for (const mail of mails) {
      const message = renderAccountMail(brand, mail)
      assert.equal(message.to, 'ada@example.com')
      assert.match(message.subject, /Latchkey/, mail.kind)
      assert.match(message.text, /Latchkey/)
      assert.match(message.html, /^<!doctype html>/)
      assert.match(message.html, /Latchkey/)
      assert.ok(!/<img|<script|<link|@import|url\(/i.test(message.html), 'no remote resources')
    }
  })

  it('link to PUBLIC_URL (with its path) in both parts, with the token', () => {
    const verify = renderAccountMail(brand, mails[0]!)
    const reset = renderAccountMail(brand, mails[1]!)
    for (const [message, path] of [
      [verify, '/verify-email'],
      [reset, '/reset-password'],
    ] as const) {
      const link = `https://auth.example.test/id${path}?token=${token}`
      assert.ok(message.text.includes(link), `${path} in text`)
      assert.ok(message.html.includes(`href="${link}"`), `${path} in html`)
    }
    assert.match(verify.text, /24 hours/)
    assert.match(reset.text, /30 minutes/)
    assert.match(renderAccountMail(brand, mails[2]!).text, /2026-03-01 12:34 UTC/)
    assert.ok(
      renderAccountMail(brand, mails[3]!).text.includes(
        'https://auth.example.test/id/forgot-password',
      ),
    )
  })

  it('escape everything in the HTML part', () => {
    const hostile = {
      productName: 'A&B <script>alert(1)</script>',
      publicUrl: 'https://x.test/"><b>',
    }
    const message = renderMail(hostile, 'Subject <i>', {
      heading: '<h1>heading</h1>',
      before: ['"quoted" & <tagged>'],
      action: { label: '<b>go</b>', url: 'https://x.test/?a=1&b="2"' },
      after: [],
    })
    assert.ok(!message.html.includes('<script>'))
    assert.ok(!message.html.includes('<h1>heading'))
    assert.ok(!message.html.includes('"><b>'))
    assert.ok(message.html.includes('&lt;tagged&gt;'))
    assert.ok(message.html.includes('href="https://x.test/?a=1&amp;b=&quot;2&quot;"'))
    assert.ok(message.text.includes('"quoted" & <tagged>'), 'the text part is plain text')
  })

  it('say validity in words', () => {
    assert.equal(formatValidity(1800), '30 minutes')
    assert.equal(formatValidity(3600), '1 hour')
    assert.equal(formatValidity(86_400), '24 hours')
    assert.equal(formatValidity(60), '1 minute')
  })
})
