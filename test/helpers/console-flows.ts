import type { FastifyInstance } from 'fastify'
import { Secret, TOTP } from 'otpauth'
import type { StaffRole } from '../../src/domain/staff.js'
import type { TestPorts } from './build-test-app.js'
import { uniqueSuffix } from './services.js'

export interface TestStaff { id: string, email: string, password: string, secret: string }

/** A staff member straight into the store (the command's path is tested on its own). */
export async function addStaff (ports: TestPorts, role: StaffRole): Promise<TestStaff> {
  const email = `${role}-${uniqueSuffix()}@staff.test`
  const password = 'staff password 123'
  const secret = ports.totp.newSecret()
  const member = await ports.staff.create({
    email,
    passwordHash: await ports.hasher.hash(password),
    role,
    totpSecret: secret,
    createdAt: ports.clock.now()
  })
  return { id: member.id, email, password, secret }
}

/** The code an authenticator app would show at `at` (otpauth, as a phone app computes it). */
export function totpCode (secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at.getTime()
  })
}

export const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' }
})

/** The `name=value` of a Set-Cookie header, for the next request's Cookie header. */
export function cookieOf (setCookie: string | string[] | undefined, name: string): string | null {
  for (const line of [setCookie ?? []].flat()) {
    const [pair = ''] = line.split(';')
    if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair
  }
  return null
}

export const hiddenField = (html: string, name: string): string | null =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? null

/**
 * Password, then TOTP; answers the signed-in session cookie, the CSRF token of its forms, and each step's responses.
 */
export async function signInStaff (app: FastifyInstance, ports: TestPorts, staff: TestStaff, code?: string) {
  const page = await app.inject({ method: 'GET', url: '/console/sign-in' })
  const pre = cookieOf(page.headers['set-cookie'], 'console-pre')!
  const password = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    ...withCookie(form({ email: staff.email, password: staff.password, _pre: hiddenField(page.body, '_pre')! }), pre)
  })
  const halfway = cookieOf(password.headers['set-cookie'], 'console')
  if (halfway === null) throw new Error(`password step failed: ${password.statusCode}`)
  const factorPage = await app.inject({ method: 'GET', url: '/console/second-factor', headers: { cookie: halfway } })
  const factor = await app.inject({
    method: 'POST',
    url: '/console/second-factor',
    ...withCookie(
      form({ code: code ?? totpCode(staff.secret, ports.clock.now()), _csrf: hiddenField(factorPage.body, '_csrf')! }),
      halfway
    )
  })
  const cookie = cookieOf(factor.headers['set-cookie'], 'console')
  const queue = cookie === null ? null : await app.inject({ method: 'GET', url: '/console/queue', headers: { cookie } })
  return { cookie, csrf: queue === null ? null : hiddenField(queue.body, '_csrf'), halfway, factorPage, factor }
}

export function withCookie<T extends { headers: Record<string, string> }> (request: T, cookie: string): T {
  return { ...request, headers: { ...request.headers, cookie } }
}
