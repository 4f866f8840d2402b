export const UPLOAD_KINDS = ['avatar', 'profile', 'verification'] as const
export type UploadKind = typeof UPLOAD_KINDS[number]

/** Each kind of upload lives under its own prefix; a key of another kind is refused at sign-up. */
export const UPLOAD_PREFIXES: Record<UploadKind, string> = {
  avatar: 'images/users/avatars/',
  profile: 'images/users/profiles/',
  verification: 'images/users/verifications/'
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

/** True when `key` is a plain file name directly under the kind's prefix (no `..`, no sub-folders). */
export function isUploadKeyOfKind (key: string, kind: UploadKind): boolean {
  const prefix = UPLOAD_PREFIXES[kind]
  if (!key.startsWith(prefix)) return false
  const name = key.slice(prefix.length)
  return FILE_NAME.test(name) && !name.includes('..')
}

/** What an upload may declare: photos and scans only (no SVG, which can carry script). */
export const UPLOAD_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/gif'
] as const
export type UploadContentType = typeof UPLOAD_CONTENT_TYPES[number]

export const isUploadContentType = (value: string): value is UploadContentType =>
  (UPLOAD_CONTENT_TYPES as readonly string[]).includes(value)

/** Files of this kind are private: never a public URL, only short-lived signed links for admins. */
export const isPrivateUploadKey = (key: string): boolean => key.startsWith(UPLOAD_PREFIXES.verification)
