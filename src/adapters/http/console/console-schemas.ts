import { Type } from '@fastify/type-provider-typebox'
import { CATALOG_EMOJI_MAX_LENGTH, CATALOG_NAME_MAX_LENGTH } from '../../../application/catalog/catalog.js'
import { NOTE_MAX_LENGTH } from '../../../application/review/member-notes.js'
import { REASON_TEXT_MAX_LENGTH } from '../../../application/review/rejection-reasons.js'

// The console's form limits, in one place: each route's schema and each form's maxlength read the
// same number, so the browser never lets through what the route refuses (nor stops what it takes).
export const FORM_LIMITS = {
  catalogName: CATALOG_NAME_MAX_LENGTH,
  catalogEmoji: CATALOG_EMOJI_MAX_LENGTH,
  catalogImage: 300,
  rejectionReason: 1000,
  presetReason: REASON_TEXT_MAX_LENGTH,
  note: NOTE_MAX_LENGTH,
  csrf: 200,
  id: 64,
  version: 40,
  // As the member doors take passwords: long enough for any passphrase, short enough to hash cheaply.
  password: 1024,
  // Six digits, perhaps split by a space as authenticator apps show them.
  totpCode: 7
} as const

/** A member's page and its forms: `/console/members/:uuid/...`. */
export const MemberParams = Type.Object({ uuid: Type.String({ maxLength: FORM_LIMITS.id }) })

const csrf = Type.Optional(Type.String({ maxLength: FORM_LIMITS.csrf }))

export const CsrfForm = Type.Object({ _csrf: csrf })
// The member's review state the page was made on (decisionVersion). Optional on the wire so a page
// an older release served still decides during an upgrade; the console's own pages always send it.
const version = Type.Optional(Type.String({ maxLength: FORM_LIMITS.version }))
export const DecisionForm = Type.Object({ _csrf: csrf, version })
export const RejectForm = Type.Object({
  _csrf: csrf,
  version,
  preset: Type.Optional(Type.String({ maxLength: FORM_LIMITS.id })),
  reason: Type.Optional(Type.String({ maxLength: FORM_LIMITS.rejectionReason }))
})
export const NoteForm = Type.Object({
  _csrf: csrf,
  note: Type.Optional(Type.String({ maxLength: FORM_LIMITS.note }))
})
export const CatalogForm = Type.Object({
  _csrf: csrf,
  name: Type.String({ maxLength: FORM_LIMITS.catalogName }),
  emoji: Type.String({ maxLength: FORM_LIMITS.catalogEmoji }),
  image: Type.Optional(Type.String({ maxLength: FORM_LIMITS.catalogImage }))
})
export const PasswordForm = Type.Object({
  _csrf: csrf,
  current: Type.String({ maxLength: FORM_LIMITS.password }),
  next: Type.String({ maxLength: FORM_LIMITS.password }),
  repeat: Type.String({ maxLength: FORM_LIMITS.password }),
  code: Type.String({ maxLength: FORM_LIMITS.totpCode })
})
