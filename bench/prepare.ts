import type { Request } from 'autocannon'
import { Drain, json } from './load.js'

/**
 * Users and tokens made through the public HTTP API only, as the apps would, before any timed load.
 * Phone members use numbers with fixed codes (SMS_TEST_OTP), so no SMS is sent.
 */

export const TEST_CODE = '123456'

/** `count` Korean mobile numbers, 010-3000-0000 upward (an assigned range the parser accepts). */
export function testNumbers (count: number): string[] {
  return Array.from({ length: count }, (_, i) => `+8210${30_000_000 + i}`)
}

export const smsTestOtp = (numbers: string[]): string => numbers.map((mobile) => `${mobile}=${TEST_CODE}`).join(',')

async function call (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text === '' ? null : JSON.parse(text)
}

/** Drains `items` and throws unless every request succeeded: set-up must not be half done. */
async function mustDrain<T> (
  base: string,
  what: string,
  items: T[],
  build: (item: T) => Request,
  onBody?: (body: string, status: number) => void
) {
  const drain = new Drain()
  await drain.run(base, items, build, { connections: 50, ...(onBody === undefined ? {} : { onBody }) })
  const { errors } = drain.stats()
  if (errors > 0) throw new Error(`set-up step "${what}" had ${errors} failed requests`)
}

/** An email account and a 30-day access token for it. */
export async function emailAccount (base: string) {
  const email = `bench-${Date.now()}@example.com`
  const password = 'correct horse battery'
  await call(base, 'POST', '/auth/register', { email, password })
  const { access_token: token } = (await call(base, 'POST', '/auth/login/json', { email, password })) as {
    access_token: string
  }
  return { email, password, token }
}

/**
 * Signs every number up (`POST /api/registration/`) with two interests and a profession, as seed 1's
 * members have, and has an admin approve it.
 */
export async function approvedMembers (base: string, numbers: string[], adminKey: string): Promise<void> {
  const interests = ((await call(base, 'GET', '/api/interests/')) as Array<{ uuid: string }>)
    .slice(0, 2)
    .map(item => item.uuid)
  const [profession] = ((await call(base, 'GET', '/api/professions/')) as Array<{ uuid: string }>).map(
    item => item.uuid
  )
  const uuids: string[] = []
  await mustDrain(base, 'registration', numbers, (mobile: string) => json('POST', '/api/registration/', {
    mobile: '0' + mobile.slice(3), // the national form the app sends
    username: `bench${mobile.slice(-8)}`,
    name: '벤치',
    birth: '1990-01-01',
    gender: 'male',
    interests,
    profession
  }), (body, status) => { if (status === 201) uuids.push((JSON.parse(body) as { user: { uuid: string } }).user.uuid) })
  await mustDrain(base, 'approval', uuids, (uuid: string) => ({
    method: 'POST',
    path: `/admin/users/${uuid}/approve`,
    headers: { authorization: `Bearer ${adminKey}` }
  }))
}

/**
 * A code may be asked for once per number per OTP_RESEND_COOLDOWN (1 s here, the least the config
 * allows). Every step that asks for codes goes through `issueCodes`, which waits out the cooldown
 * of the previous batch first, so no request is refused with 429.
 */
let lastIssueEnded = 0
const COOLDOWN_MS = 1_100

export async function issueCodes (base: string, numbers: string[], drain = new Drain()): Promise<Drain> {
  const wait = lastIssueEnded + COOLDOWN_MS - Date.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  try {
    await drain.run(base, numbers, (mobile: string) => json('POST', '/api/auth/mobile/', { mobile }), {
      connections: 50
    })
  } finally {
    lastIssueEnded = Date.now()
  }
  return drain
}

/** Logs `numbers` in by code; answers one fresh token pair per number. */
export async function phoneSessions (
  base: string,
  numbers: string[]
): Promise<Array<{ access: string, refresh: string }>> {
  if ((await issueCodes(base, numbers)).stats().errors > 0) throw new Error('set-up step "code request" failed')
  const pairs: Array<{ access: string, refresh: string }> = []
  await mustDrain(
    base,
    'phone login',
    numbers,
    (mobile: string) => json('POST', '/api/token/', { mobile, token: TEST_CODE }),
    (body, status) => {
      if (status === 200) pairs.push(JSON.parse(body) as { access: string, refresh: string })
    }
  )
  return pairs
}
