import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, exportPKCS8, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import type { Clock } from '../../src/application/ports/system/clock.js'

/** The audience Apple requires in a client secret, whatever address the request went to. */
const AUDIENCE = 'https://appleid.apple.com'
/** Apple refuses a client secret that expires more than six months after it was issued. */
const MAX_SECRET_LIFE_SECONDS = 15_777_000
/** Apple's authorization codes are single use and valid for five minutes. */
const CODE_LIFE_MS = 5 * 60_000

/** A team's Sign in with Apple key as the developer portal hands it out: ES256, the private half as PKCS#8 PEM. */
export async function generateAppleKey (): Promise<{ privateKey: string, publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  return { privateKey: await exportPKCS8(privateKey), publicKey }
}

export interface AppleStandInOptions {
  teamId: string
  keyId: string
  /** The public half of the team's key: the only key whose client secrets are accepted. */
  publicKey: CryptoKey
  /** Decides codes' and client secrets' expiry: the adapter's clock in tests that move time. */
  clock?: Clock
}

/** A request as received, form fields decoded (the client secret included: tests read its claims). */
export interface AppleStandInRequest { path: string, form: Record<string, string> }

interface IssuedCode { clientId: string, subject: string, issuedAt: number }

/**
 * A stand-in for Sign in with Apple's token endpoints on 127.0.0.1, answering as Apple does:
 * POST /auth/token (grant_type=authorization_code) and POST /auth/revoke, form-encoded.
 *
 * The client secret is checked first: an ES256 JWT under the team's public key, with the key id
 * as `kid`, the team as issuer, the client id as subject, Apple as audience, not expired and
 * living at most six months; anything else is 400 invalid_client. A code this stand-in issued
 * (issueCode) exchanges once, as the client it was issued to, within five minutes, for an access
 * token, a refresh token and an ID token; any other code is 400 invalid_grant. A revocation that
 * passes the client check is 200 and recorded, known token or not, as Apple does.
 */
export async function startAppleStandIn (options: AppleStandInOptions) {
  const { teamId, keyId, publicKey } = options
  const clock = options.clock ?? { now: () => new Date() }
  // Apple signs its ID tokens with its own keys (RS256); this stand-in's play that part.
  const appleKey = (await generateKeyPair('RS256')).privateKey
  const codes = new Map<string, IssuedCode>()
  const requests: AppleStandInRequest[] = []
  const revoked: Array<{ token: string, clientId: string }> = []
  let down = false
  let hanging = false
  let next: { status: number, contentType: string, body: string } | null = null

  async function answer (path: string, form: Record<string, string>, response: ServerResponse) {
    if (path !== '/auth/token' && path !== '/auth/revoke') return json(response, 404, { error: 'not_found' })
    const clientId = form.client_id ?? ''
    if (clientId === '' || !(await clientSecretValid(form.client_secret ?? '', clientId))) {
      return json(response, 400, { error: 'invalid_client' })
    }
    if (path === '/auth/revoke') {
      if (form.token === undefined || form.token === '') return json(response, 400, { error: 'invalid_request' })
      revoked.push({ token: form.token, clientId })
      response.writeHead(200)
      return response.end()
    }
    if (form.grant_type !== 'authorization_code') return json(response, 400, { error: 'unsupported_grant_type' })
    if (form.code === undefined || form.code === '') return json(response, 400, { error: 'invalid_request' })
    const issued = codes.get(form.code)
    // Spent whatever comes of it: Apple's codes are single use, a refused try included.
    codes.delete(form.code)
    const now = clock.now().getTime()
    if (issued === undefined || issued.clientId !== clientId || now - issued.issuedAt > CODE_LIFE_MS) {
      return json(response, 400, { error: 'invalid_grant' })
    }
    const refreshToken = `r${randomBytes(16).toString('hex')}.0.${randomBytes(8).toString('hex')}`
    const iat = Math.floor(now / 1000)
    json(response, 200, {
      access_token: `a${randomBytes(16).toString('hex')}.0.${randomBytes(8).toString('hex')}`,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refreshToken,
      id_token: await new SignJWT({ auth_time: iat, email_verified: true })
        .setProtectedHeader({ alg: 'RS256', kid: 'stand-in' })
        .setIssuer(AUDIENCE)
        .setAudience(clientId)
        .setSubject(issued.subject)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 600)
        .sign(appleKey)
    })
  }

  async function clientSecretValid (secret: string, clientId: string): Promise<boolean> {
    try {
      const { payload, protectedHeader } = await jwtVerify(secret, publicKey, {
        algorithms: ['ES256'],
        issuer: teamId,
        audience: AUDIENCE,
        subject: clientId,
        requiredClaims: ['iat', 'exp'],
        currentDate: clock.now()
      })
      return protectedHeader.kid === keyId && payload.exp! - payload.iat! <= MAX_SECRET_LIFE_SECONDS
    } catch {
      return false
    }
  }

  const server = createServer((request, response) => {
    readForm(request).then(async (form) => {
      const path = new URL(request.url ?? '/', 'http://stand-in').pathname
      requests.push({ path, form })
      if (hanging) return // taken, never answered
      if (down) return html(response, 503, 'Service Unavailable')
      if (next !== null) {
        const { status, contentType, body } = next
        next = null
        response.writeHead(status, { 'content-type': contentType })
        return response.end(body)
      }
      if (request.method !== 'POST') return json(response, 405, { error: 'invalid_request' })
      await answer(path, form, response)
    }).catch(() => { response.destroy() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every request received, in order. */
    requests,
    /** The tokens revoked, each with the client that asked. */
    revoked,

    /** A fresh authorization code, as Apple hands one to the app `clientId` after a sign-in. */
    issueCode (clientId: string, subject = `000${randomUUID().replaceAll('-', '').slice(0, 6)}.${randomUUID()}`) {
      const code = `c${randomBytes(16).toString('hex')}.0.${randomBytes(4).toString('hex')}`
      codes.set(code, { clientId, subject, issuedAt: clock.now().getTime() })
      return code
    },

    /** Every client secret received, in order. */
    clientSecrets () {
      return requests.map(({ form }) => form.client_secret ?? '').filter(secret => secret !== '')
    },

    /** The payload of a client secret, unchecked. */
    claimsOf (secret: string) { return decodeJwt(secret) },

    /** Down: every request is answered 503 with an HTML page, as a gateway in front of Apple would. */
    setDown (value: boolean) { down = value },

    /** Hanging: every request is taken and never answered (the caller's deadline must end the wait). */
    setHang (value: boolean) { hanging = value },

    /** The next request is answered this, whatever it asked. */
    answerNext (status: number, body: string, contentType = 'application/json') {
      next = { status, contentType, body }
    },

    /** Stops listening and drops every connection, a request left hanging on purpose included. */
    close () {
      return new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    }
  }
}

export type AppleStandIn = Awaited<ReturnType<typeof startAppleStandIn>>

async function readForm (request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString('utf8')
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return {}
  return Object.fromEntries(new URLSearchParams(body))
}

function json (response: ServerResponse, status: number, payload: object) {
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' })
  response.end(JSON.stringify(payload))
}

function html (response: ServerResponse, status: number, title: string) {
  response.writeHead(status, { 'content-type': 'text/html' })
  response.end(`<html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`)
}
