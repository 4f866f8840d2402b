import type { FastifyInstance } from 'fastify'
import type { UploadKind } from '../../src/domain/uploads.js'
import { CATALOG_STARTER } from '../fakes/catalog-starter.js'
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
export const freshMobile = (): string =>
  '010' + String(2 + Math.floor(Math.random() * 3)) + String(Math.floor(Math.random() * 1e7)).padStart(7, '0')

/** Seed 1's sign-up body without files (uploads need a store: see `withUploads`). */
export function registration (overrides: Record<string, unknown> = {}) {
  return {
    birth: '1984-10-23',
    carrier: 'SK telecom',
    foreigner: false,
    gender: 'male',
    interests: [GOLF, SECOND_INTEREST],
    mobile: freshMobile(),
    name: '손흥민',
    profession: DOCTOR,
    unique_in_site: '239dfj239dfjasdf',
    unique_key: 'asdfi23jadsf92',
    username: `도도${uniqueSuffix()}`,
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

export const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x42)])

/** A presigned form as multipart bytes: the signed fields, then the file last, as the app sends it. */
export async function uploadForm (
  fields: Record<string, string>,
  bytes: Buffer = PHOTO,
  contentType = fields['Content-Type'] ?? 'image/jpeg'
) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo.jpg')
  const encoded = new Response(form)
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! }
}

/** Uploads one file the way the app does: `POST /api/sign-s3/`, then the form to its URL; answers the key. */
export type Uploader = (kind: UploadKind) => Promise<string>

export const injectUploader = (app: FastifyInstance): Uploader => async (kind) => {
  const signed = await app.inject({
    method: 'POST',
    url: '/api/sign-s3/',
    payload: { kind, content_type: 'image/jpeg' }
  })
  if (signed.statusCode !== 200) throw new Error(`sign-s3 failed: ${signed.body}`)
  const { url, fields, key } = signed.json()
  const { body, contentType } = await uploadForm(fields)
  const uploaded = await app.inject({
    method: 'POST',
    url: new URL(url).pathname,
    payload: body,
    headers: { 'content-type': contentType }
  })
  if (uploaded.statusCode !== 204) throw new Error(`upload failed: ${uploaded.statusCode} ${uploaded.body}`)
  return key
}

export const fetchUploader = (base: string): Uploader => async (kind) => {
  const signed = await fetch(`${base}/api/sign-s3/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind, content_type: 'image/jpeg' })
  })
  if (signed.status !== 200) throw new Error(`sign-s3 failed: ${await signed.text()}`)
  const { url, fields, key } = await signed.json() as { url: string, fields: Record<string, string>, key: string }
  const { body, contentType } = await uploadForm(fields)
  const uploaded = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } })
  if (uploaded.status !== 204) throw new Error(`upload failed: ${uploaded.status} ${await uploaded.text()}`)
  return key
}

/** A sign-up body with a real avatar, profile photo and two verification files in the store. */
export async function withUploads (upload: Uploader, overrides: Record<string, unknown> = {}) {
  const [avatar, profile, first, second] = await Promise.all([
    upload('avatar'),
    upload('profile'),
    upload('verification'),
    upload('verification')
  ])
  return {
    ...registration(),
    avatar,
    profile,
    verification_files: [
      { display_order: 0, original: first },
      { display_order: 1, original: second }
    ],
    ...overrides
  }
}
