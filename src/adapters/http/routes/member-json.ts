import { Type } from '@sinclair/typebox'
import type { MemberWithFileLinks } from '../../../application/review/member-review-shared.js'
import type { MemberView } from '../../../application/members/member-view.js'
import type { CatalogItem } from '../../../application/ports/records/catalog-repository.js'
import { toShortUuid } from '../../../domain/short-uuid.js'

/** Storage keys become URLs under MEDIA_BASE_URL (the phone app's API document shows `/media/<key>`). */
export function mediaUrl (base: string, key: string | null): string | null {
  if (key === null) return null
  return base.endsWith('/') ? base + key : `${base}/${key}`
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const InterestJson = Type.Object({
  uuid: Type.String(),
  name: Type.String(),
  emoji: Type.String(),
  image: Nullable(Type.String())
})
export const ProfessionJson = Type.Object({ uuid: Type.String(), name: Type.String(), emoji: Type.String() })

/** The phone app's `user` object, field for field. */
export const MemberJson = Type.Object({
  age: Nullable(Type.Integer()),
  birth: Nullable(Type.String()),
  gender: Nullable(Type.String()),
  interests: Type.Array(InterestJson),
  profession: Nullable(ProfessionJson),
  profile: Nullable(Type.String()),
  status: Type.String(),
  username: Nullable(Type.String()),
  uuid: Type.String()
})

export const interestJson = (base: string, item: CatalogItem) => ({
  uuid: toShortUuid(item.id),
  name: item.name,
  emoji: item.emoji,
  image: mediaUrl(base, item.imageKey)
})
export const professionJson = (item: CatalogItem) => ({
  uuid: toShortUuid(item.id),
  name: item.name,
  emoji: item.emoji
})

export function memberJson (base: string, { user, age, interests, profession }: MemberView) {
  return {
    age,
    birth: user.profile?.birth ?? null,
    gender: user.profile?.gender ?? null,
    interests: interests.map((item) => interestJson(base, item)),
    profession: profession === null ? null : professionJson(profession),
    profile: mediaUrl(base, user.profile?.profileKey ?? null),
    status: user.status,
    username: user.profile?.username ?? null,
    uuid: toShortUuid(user.id)
  }
}

/** What admins see: the whole record (mobile in E.164, files as short-lived signed links, never the password hash). */
export const AdminMemberJson = Type.Composite([MemberJson, Type.Object({
  mobile: Nullable(Type.String()),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  carrier: Nullable(Type.String()),
  foreigner: Nullable(Type.Boolean()),
  unique_in_site: Nullable(Type.String()),
  unique_key: Nullable(Type.String()),
  avatar: Nullable(Type.String()),
  rejection_reason: Nullable(Type.String()),
  created_at: Type.String(),
  verification_files: Type.Array(Type.Object({ display_order: Type.Integer(), key: Type.String(), url: Type.String() }))
})])

export function adminMemberJson (base: string, view: MemberWithFileLinks) {
  const { user } = view
  const profile = user.profile
  return {
    ...memberJson(base, view),
    mobile: user.mobile,
    email: user.email,
    name: profile?.name ?? null,
    carrier: profile?.carrier ?? null,
    foreigner: profile?.foreigner ?? null,
    unique_in_site: profile?.uniqueInSite ?? null,
    unique_key: profile?.uniqueKey ?? null,
    avatar: mediaUrl(base, profile?.avatarKey ?? null),
    rejection_reason: user.rejectionReason,
    created_at: user.createdAt.toISOString(),
    verification_files: view.fileLinks.map(file => ({ display_order: file.displayOrder, key: file.key, url: file.url }))
  }
}
