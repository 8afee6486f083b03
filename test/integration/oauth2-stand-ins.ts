// Local stand-ins for GitHub and Facebook, whose servers are unreachable here. Each answers with
// the provider's documented shapes, quirks included, and checks what the real one checks:
// client credentials, single-use codes, the redirect URI and the PKCE S256 verifier.
//   GitHub:   docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps,
//             /rest/users/users#get-the-authenticated-user, /rest/users/emails
//   Facebook: developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow,
//             /docs/graph-api/reference/user, /docs/graph-api/securing-requests (appsecret_proof)
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StandInUser {
  readonly id: number | string
  readonly login: string
  readonly name: string | null
  /** The public profile email (GitHub) or the Graph API email (Facebook). */
  readonly email: string | null
  /** GitHub's /user/emails. */
  readonly emails?: readonly { email: string; primary: boolean; verified: boolean }[]
}

export interface StandIn {
  readonly url: string
  readonly clientId: string
  readonly clientSecret: string
  /** Who is "signed in" at the provider; `deny` answers the consent with access_denied. */
  current: StandInUser | 'deny'
  close(): Promise<void>
}

interface Grant {
  readonly user: StandInUser
  readonly redirectURI: string
  readonly challenge: string
  used: boolean
}

function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let data = ''
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
    req.on('end', () => resolve(new URLSearchParams(data)))
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url')

export async function startStandIn(kind: 'github' | 'facebook'): Promise<StandIn> {
  const grants = new Map<string, Grant>()
  const tokens = new Map<string, StandInUser>()
  const stand = {
    url: '',
    clientId: `${kind}-client-id`,
    clientSecret: `${kind}-client-secret-0123456789`,
    current: 'deny' as StandInUser | 'deny',
  }
  const paths =
    kind === 'github'
      ? { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' }
      : { authorize: '/v23.0/dialog/oauth', token: '/v23.0/oauth/access_token' }

  function authorize(url: URL, res: ServerResponse): void {
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '')
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '')
    if (url.searchParams.get('code_challenge_method') !== 'S256')
      return send(res, 400, { error: 'PKCE S256 required by this stand-in' })
    if (stand.current === 'deny') {
      redirect.searchParams.set('error', 'access_denied')
      redirect.searchParams.set('error_description', 'The user has denied your application access.')
    } else {
      const code = randomBytes(10).toString('hex')
      grants.set(code, {
        user: stand.current,
        redirectURI: url.searchParams.get('redirect_uri') ?? '',
        challenge: url.searchParams.get('code_challenge') ?? '',
        used: false,
      })
      redirect.searchParams.set('code', code)
    }
    res.writeHead(302, { location: redirect.href })
    res.end()
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readBody(req)
    const grant = grants.get(form.get('code') ?? '')
    const okClient =
      form.get('client_id') === stand.clientId && form.get('client_secret') === stand.clientSecret
    const okGrant =
      grant !== undefined &&
      !grant.used &&
      grant.redirectURI === form.get('redirect_uri') &&
      grant.challenge === s256(form.get('code_verifier') ?? '')
    if (!okClient || !okGrant) {
      // GitHub's documented quirk: an error in a 200 answer. Facebook: a Graph API error object.
      if (kind === 'github')
        return send(res, 200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
          error_uri:
            'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code',
        })
      return send(res, 400, {
        error: {
          message: 'This authorization code has been used.',
          type: 'OAuthException',
          code: 100,
        },
      })
    }
    grant.used = true
    const accessToken = `${kind === 'github' ? 'gho_' : 'EAAB'}${randomBytes(16).toString('hex')}`
    tokens.set(accessToken, grant.user)
    if (kind === 'github')
      return send(res, 200, {
        access_token: accessToken,
        token_type: 'bearer',
        scope: 'read:user,user:email',
      })
    send(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: 5183944 })
  }

  function api(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization ?? ''
    const user = tokens.get(header.replace(/^(Bearer|token) /i, ''))
    if (user === undefined) return send(res, 401, { message: 'Bad credentials' })
    if (kind === 'github' && url.pathname === '/user') {
      return send(res, 200, {
        login: user.login,
        id: user.id,
        node_id: 'MDQ6VXNlcjE=',
        type: 'User',
        name: user.name,
        email: user.email,
      })
    }
    if (kind === 'github' && url.pathname === '/user/emails') {
      return send(
        res,
        200,
        (user.emails ?? []).map((e) => ({ ...e, visibility: e.primary ? 'private' : null })),
      )
    }
    if (kind === 'facebook' && url.pathname === '/v23.0/me') {
      const proof = createHmac('sha256', stand.clientSecret).update(header.slice(7)).digest('hex')
      if (url.searchParams.get('appsecret_proof') !== proof)
        return send(res, 400, {
          error: {
            message: 'Invalid appsecret_proof provided in the API argument',
            type: 'GraphMethodException',
            code: 100,
          },
        })
      const body: Record<string, unknown> = { id: String(user.id), name: user.name }
      if (user.email !== null) body['email'] = user.email
      return send(res, 200, body)
    }
    send(res, 404, { message: 'Not Found' })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', stand.url)
    if (req.method === 'GET' && url.pathname === paths.authorize) return authorize(url, res)
    if (req.method === 'POST' && url.pathname === paths.token) return void token(req, res)
    api(url, req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  stand.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}` // listening on TCP
  return Object.assign(stand, {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
