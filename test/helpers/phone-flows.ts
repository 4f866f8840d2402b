import type { FastifyInstance } from 'fastify'
import { CATALOG_STARTER } from '../../src/adapters/memory/catalog-starter.js'
import { toShortUuid } from '../../src/domain/short-uuid.js'
import { ADMIN_KEY } from './build-test-app.js'
import { uniqueSuffix } from './services.js'

export const GOLF = toShortUuid(CATALOG_STARTER.interests[0]!.id)
export const SECOND_INTEREST = toShortUuid(CATALOG_STARTER.interests[1]!.id)
export const DOCTOR = toShortUuid(CATALOG_STARTER.professions[0]!.id)

/**
 * A fresh Korean mobile number in the national form the app sends (010xxxxxxxx), drawn from
 * 010-2000 to 010-4999: ranges such as 010-0xxx, 010-1xxx and 010-598x are not assigned, and the
 * parser rightly refuses them.
 */
export const freshMobile = (): string => '010' + String(2 + Math.floor(Math.random() * 3)) + String(Math.floor(Math.random() * 1e7)).padStart(7, '0')

export function registration (overrides: Record<string, unknown> = {}) {
  return {
    avatar: 'images/users/avatars/avatar_dIdjeka9Mk28fsidje8X29d.jpeg',
    birth: '1984-10-23',
    carrier: 'SK telecom',
    foreigner: false,
    gender: 'male',
    interests: [GOLF, SECOND_INTEREST],
    mobile: freshMobile(),
    name: '손흥민',
    profession: DOCTOR,
    profile: 'images/users/profiles/profile_rVvDZa9Mk28f58ch2AXuNt.jpeg',
    unique_in_site: '239dfj239dfjasdf',
    unique_key: 'asdfi23jadsf92',
    username: `도도${uniqueSuffix()}`,
    verification_files: [{ display_order: 0, original: 'images/users/verifications/verification_aKJXhaUGtobGKWMJSRHiti.jpeg' }],
    ...overrides
  }
}

export const admin = { authorization: `Bearer ${ADMIN_KEY}` }

/** Registers a member and has an admin approve them; answers the sign-up body. */
export async function approvedMember (app: FastifyInstance, overrides: Record<string, unknown> = {}) {
  const body = registration(overrides)
  const res = await app.inject({ method: 'POST', url: '/api/registration/', payload: body })
  if (res.statusCode !== 201) throw new Error(`registration failed: ${res.body}`)
  const uuid = res.json().user.uuid
  const approved = await app.inject({ method: 'POST', url: `/admin/users/${uuid}/approve`, headers: admin })
  if (approved.statusCode !== 200) throw new Error(`approve failed: ${approved.body}`)
  return { ...res.json(), mobile: body.mobile as string, uuid: uuid as string }
}
