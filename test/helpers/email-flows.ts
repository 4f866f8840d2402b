import type { FastifyInstance } from 'fastify'
import { uniqueSuffix } from './services.js'

/** Registers and logs in a fresh email user through the HTTP API; returns the access token. */
/**
 * `client`: the address the member signs in from (app.inject's default otherwise), which becomes known for the email.
 */
export async function registerAndLogin (
  app: FastifyInstance,
  overrides: { email?: string, password?: string, fcm_token?: string, client?: string } = {}
) {
  const email = overrides.email ?? `user-${uniqueSuffix()}@example.com`
  const password = overrides.password ?? 'correct horse battery'
  const registered = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password, ...(overrides.fcm_token === undefined ? {} : { fcm_token: overrides.fcm_token }) }
  })
  if (registered.statusCode !== 200) throw new Error(`register failed: ${registered.body}`)
  const login = await app.inject({
    method: 'POST',
    url: '/auth/login/json',
    payload: { email, password },
    ...(overrides.client === undefined ? {} : { remoteAddress: overrides.client })
  })
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`)
  return { email, password, token: login.json().access_token as string }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
