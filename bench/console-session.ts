import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { Secret, TOTP } from 'otpauth'
import { firstJsonLine, startNode } from './processes.js'
import type { BenchService } from './service.js'

/**
 * A signed-in console session on the bench's service, made the way an operator and a staff member
 * would: `staff add` from the command-line tool against the service's database, then the console's
 * password step and its TOTP enrolment over HTTP (the key shown beside the QR code, typed into an
 * "authenticator"). Answers the session's Cookie header value.
 */
export async function consoleSession (service: BenchService): Promise<string> {
  const email = `bench-${randomBytes(4).toString('hex')}@staff.test`
  // A password of our own: a generated one would open the change-password page first.
  const password = `bench staff ${randomBytes(8).toString('hex')}`
  await staffAdd(service, email, password)

  const signIn = await fetch(`${service.base}/console/sign-in`)
  const pre = cookieOf(signIn, 'console-pre')
  const afterPassword = await post(service.base, '/console/sign-in', pre, {
    email,
    password,
    _pre: field(await signIn.text(), '_pre')
  })
  const halfway = cookieOf(afterPassword, 'console')
  const enrolment = await fetch(`${service.base}/console/second-factor`, { headers: { cookie: halfway } })
  const page = await enrolment.text()
  const secret = /<code>([^<]+)<\/code>/.exec(page)?.[1]?.replace(/\s/g, '')
  if (secret === undefined) throw new Error(`no enrolment key on the second-factor page (${enrolment.status})`)
  const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate()
  const signedIn = await post(service.base, '/console/second-factor', halfway, { code, _csrf: field(page, '_csrf') })
  return cookieOf(signedIn, 'console')
}

/** `staff add` with the service's own environment: its compiled cli.js beside main.js, or the sources. */
async function staffAdd (service: BenchService, email: string, password: string): Promise<void> {
  const built = service.entry === null ? null : join(dirname(service.entry), 'cli.js')
  const args = ['staff', 'add', '--email', email, '--role', 'admin', '--password', password]
  const env = { ...service.env, LOG_LEVEL: 'silent' }
  const cli = built !== null && existsSync(built)
    ? startNode(built, args, env, { tsx: false })
    : startNode('src/cli.ts', args, env)
  try {
    const line = await firstJsonLine<{ event: string }>(cli)
    if (line.event !== 'staff.added') throw new Error(`staff add answered ${JSON.stringify(line)}`)
  } finally {
    await cli.stop()
  }
}

async function post (base: string, path: string, cookie: string, fields: Record<string, string>): Promise<Response> {
  return await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields).toString()
  })
}

/** The `name=value` pair of a Set-Cookie header; throws when the step set none (it failed). */
function cookieOf (response: Response, name: string): string {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';')
    if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair
  }
  throw new Error(`${response.url}: ${response.status} without a ${name} cookie`)
}

function field (html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1]
  if (value === undefined) throw new Error(`no ${name} field on the page`)
  return value
}
