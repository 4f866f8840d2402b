import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid
} from 'drizzle-orm/pg-core'

// The whole contract's data, both doors: the phone door's profile columns are nullable because
// email-only users have none.
export const professions = pgTable('professions', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  emoji: text('emoji').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
})

export const interests = pgTable('interests', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  emoji: text('emoji').notNull(),
  imageKey: text('image_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
})

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email'),
    passwordHash: text('password_hash'),
    mobile: text('mobile'),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull(),
    rejectionReason: text('rejection_reason'),
    tokensValidAfter: timestamp('tokens_valid_after', { withTimezone: true, mode: 'date' }),
    /** The language of the member's SMS and pushes, from the Accept-Language of sign-up and sign-in. */
    language: text('language', { enum: ['ko', 'en'] })
      .notNull()
      .default('ko'),
    username: text('username'),
    name: text('name'),
    birth: date('birth', { mode: 'string' }),
    gender: text('gender', { enum: ['male', 'female', 'other'] }),
    carrier: text('carrier'),
    foreigner: boolean('foreigner'),
    uniqueInSite: text('unique_in_site'),
    uniqueKey: text('unique_key'),
    avatarKey: text('avatar_key'),
    profileKey: text('profile_key'),
    professionId: uuid('profession_id').references(() => professions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /**
     * When the member became approved or rejected (null while pending; sign-up for the email door): verification-file
     * retention counts from it.
     */
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    /** When the member proved they read mail at `email` (null: never, or the address changed since). */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    /** An address the member asked to move to, held until they prove it with the mailed code. */
    pendingEmail: text('pending_email'),
    /** The password that becomes theirs with the pending address, for a member who had none. */
    pendingPasswordHash: text('pending_password_hash')
  },
  table => [
    uniqueIndex('users_email_key').on(table.email),
    uniqueIndex('users_mobile_key').on(table.mobile),
    uniqueIndex('users_username_key').on(table.username),
    // An uploaded file belongs to one member: deleting one account must never delete another's photo.
    uniqueIndex('users_avatar_key_key').on(table.avatarKey),
    uniqueIndex('users_profile_key_key').on(table.profileKey),
    index('users_status_created_idx').on(table.status, table.createdAt),
    // The review console's "same person, another account" flag (identity-verification CI).
    index('users_unique_key_idx').on(table.uniqueKey),
    check('users_email_normalised', sql`${table.email} = lower(btrim(${table.email}))`),
    check('users_status_valid', sql`${table.status} in ('pending', 'approved', 'rejected')`),
    check('users_language_valid', sql`${table.language} in ('ko', 'en')`),
    check('users_has_identity', sql`${table.email} is not null or ${table.mobile} is not null`)
  ]
)

export const userInterests = pgTable('user_interests', {
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  interestId: uuid('interest_id').notNull().references(() => interests.id, { onDelete: 'cascade' }),
  position: integer('position').notNull()
}, (table) => [primaryKey({ columns: [table.userId, table.interestId] })])

export const verificationFiles = pgTable('verification_files', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  key: text('key').notNull(),
  displayOrder: integer('display_order').notNull()
}, (table) => [
  index('verification_files_user_idx').on(table.userId),
  uniqueIndex('verification_files_key_key').on(table.key)
])

export const pushTokens = pgTable('push_tokens', {
  token: text('token').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (table) => [index('push_tokens_user_idx').on(table.userId)])

/**
 * Stored files whose owner is gone, queued in the transaction that deleted the owner so none is
 * forgotten when the file store is down; a sweeper deletes them and their rows.
 */
export const fileDeletions = pgTable('file_deletions', {
  key: text('key').primaryKey(),
  queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
}, (table) => [index('file_deletions_not_before_idx').on(table.notBefore)])

/** Console staff: not members, never deleted (disabled instead), so audit entries keep naming them. */
export const staff = pgTable('staff', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['reviewer', 'admin'] }).notNull(),
  totpSecret: text('totp_secret').notNull(),
  totpEnrolled: boolean('totp_enrolled').notNull().default(false),
  /** The last TOTP time step accepted: a code is good once (replay protection). */
  lastTotpStep: bigint('last_totp_step', { mode: 'number' }),
  disabled: boolean('disabled').notNull().default(false),
  /** A one-time password (reset or generated): the console opens only the change-password page until it is changed. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull()
}, (table) => [
  uniqueIndex('staff_email_key').on(table.email),
  check('staff_email_normalised', sql`${table.email} = lower(btrim(${table.email}))`),
  check('staff_role_valid', sql`${table.role} in ('reviewer', 'admin')`)
])

/**
 * The audit trail. Append-only: the migration adds a trigger refusing UPDATE, and DELETE is the
 * retention sweep's alone. No foreign keys: an entry outlives the member it is about (the
 * deletion is itself an entry), and the ids are kept as plain uuids.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorKind: text('actor_kind', { enum: ['staff', 'api-key', 'member', 'system'] }).notNull(),
    actorStaffId: uuid('actor_staff_id'),
    actorEmail: text('actor_email'),
    actorMemberId: uuid('actor_member_id'),
    action: text('action').notNull(),
    memberId: uuid('member_id'),
    targetStaffId: uuid('target_staff_id'),
    address: text('address'),
    reason: text('reason'),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull().default({})
  },
  table => [
    // The console's pages, `order by at desc, id desc` (the id breaks ties, and pages by keyset):
    // the whole trail, or one member's or one staff member's, each read straight off one index.
    index('audit_events_at_idx').on(table.at.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index('audit_events_member_idx').on(table.memberId, table.at, table.id),
    index('audit_events_actor_staff_idx').on(table.actorStaffId, table.at, table.id),
    index('audit_events_target_staff_idx').on(table.targetStaffId, table.at, table.id),
    check('audit_events_actor_kind_valid', sql`${table.actorKind} in ('staff', 'api-key', 'member', 'system')`),
    // Exactly the fields of the actor's kind, so a row always reads back as one AuditActor.
    // The constraint's text must match drizzle/meta's snapshot character for character, so its lines stay long.
    /* eslint-disable @stylistic/max-len */
    check(
      'audit_events_actor_shape',
      sql`case ${table.actorKind}
    when 'staff' then ${table.actorStaffId} is not null and ${table.actorEmail} is not null and ${table.actorMemberId} is null
    when 'member' then ${table.actorMemberId} is not null and ${table.actorStaffId} is null and ${table.actorEmail} is null
    else ${table.actorStaffId} is null and ${table.actorEmail} is null and ${table.actorMemberId} is null end`
    )
    /* eslint-enable @stylistic/max-len */
  ]
)

/**
 * Every id that ends tokens (a token's jti, a session's family, a family's refresh side), kept
 * until every token it names has expired: the durable copy of what Redis (or the embedded
 * process) holds for admission, from which a store that lost its data is rebuilt.
 */
export const revocations = pgTable('revocations', {
  id: text('id').primaryKey(),
  until: timestamp('until', { withTimezone: true, mode: 'date' }).notNull()
}, (table) => [index('revocations_until_idx').on(table.until)])

/**
 * Each refresh family's current refresh token, written behind the rotations (at most a second
 * late), so a store rebuilt after a loss still refuses the tokens rotated out before it.
 * `rotated_at` orders writes from several instances: an older rotation never overwrites a newer.
 */
export const refreshFamilies = pgTable('refresh_families', {
  family: text('family').primaryKey(),
  currentJti: text('current_jti').notNull(),
  rotatedAt: bigint('rotated_at', { mode: 'number' }).notNull(),
  until: timestamp('until', { withTimezone: true, mode: 'date' }).notNull()
}, (table) => [index('refresh_families_until_idx').on(table.until)])

/**
 * A change of a sign-in method (the email, the number) that the method replaced may undo for 7
 * days, with a code sent to it: stored only as a keyed hash, single use.
 */
export const signInMethodUndos = pgTable('sign_in_method_undos', {
  codeHash: text('code_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['email', 'mobile'] }).notNull(),
  previous: text('previous').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' })
}, (table) => [
  index('sign_in_method_undos_user_idx').on(table.userId),
  check('sign_in_method_undos_kind_valid', sql`${table.kind} in ('email', 'mobile')`)
])

/**
 * Preset reasons for a rejection that staff manage in the console, in Korean and English: the text
 * in the member's language becomes the member's rejection reason. Retired, never deleted, so an
 * old rejection's reason still reads the same.
 */
export const rejectionReasons = pgTable('rejection_reasons', {
  id: uuid('id').primaryKey(),
  textKo: text('text_ko').notNull(),
  textEn: text('text_en').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' })
})

/**
 * A member's internal note, for staff only (no member route reads it): the latest text, who wrote
 * it and when; each write is on the audit trail. Goes with the member (the foreign key cascades).
 */
export const memberNotes = pgTable('member_notes', {
  memberId: uuid('member_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  staffId: uuid('staff_id').notNull(),
  staffEmail: text('staff_email').notNull(),
  writtenAt: timestamp('written_at', { withTimezone: true, mode: 'date' }).notNull()
})

/**
 * The identity the verification provider (PortOne) confirmed for a member, one at most, as the
 * provider recorded it. Goes with the member (the foreign key cascades); its id stays used in
 * `identity_verification_uses`. `ci` is indexed for "the same person, another account".
 */
export const memberIdentities = pgTable('member_identities', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  verificationId: text('verification_id').notNull(),
  ci: text('ci'),
  di: text('di'),
  name: text('name').notNull(),
  /** YYYY-MM-DD, as the provider wrote it. */
  birth: text('birth'),
  gender: text('gender', { enum: ['male', 'female'] }),
  /** As the provider wrote it. */
  phone: text('phone'),
  /** The same number in E.164, as the service stores numbers. */
  mobile: text('mobile'),
  carrier: text('carrier'),
  foreigner: boolean('foreigner'),
  verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }).notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }).notNull()
}, (table) => [
  uniqueIndex('member_identities_verification_id_key').on(table.verificationId),
  index('member_identities_ci_idx').on(table.ci)
])

/**
 * Every verification id ever accepted: one verification makes at most one account, even after
 * that account is deleted. No foreign key (it outlives the member) and no personal data.
 */
export const identityVerificationUses = pgTable('identity_verification_uses', {
  verificationId: text('verification_id').primaryKey(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }).notNull()
})

/**
 * Bytes as PostgreSQL `bytea`. postgres.js sends and answers Buffers, PGlite Uint8Arrays: both
 * read back as plain Uint8Arrays, so a stored key compares equal to the one given.
 */
const bytea = customType<{ data: Uint8Array, driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: value => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: value => new Uint8Array(value)
})

/**
 * Members' identities at Kakao, Apple and Google: one (provider, subject) belongs to one member.
 * Goes with the member (the foreign key cascades); `AccountRepository.delete` queues the kept
 * refresh tokens in `provider_revocations` first.
 */
export const linkedIdentities = pgTable('linked_identities', {
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['kakao', 'apple', 'google'] }).notNull(),
  subject: text('subject').notNull(),
  email: text('email'),
  emailVerified: boolean('email_verified').notNull(),
  name: text('name'),
  linkedAt: timestamp('linked_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** The provider's refresh token (Apple's), kept only to revoke it when the identity goes. */
  refreshToken: text('refresh_token'),
  /** The client the refresh token was issued to: its revocation names it. */
  refreshClientId: text('refresh_client_id')
}, (table) => [
  primaryKey({ name: 'linked_identities_pkey', columns: [table.provider, table.subject] }),
  index('linked_identities_user_idx').on(table.userId),
  check('linked_identities_provider_valid', sql`${table.provider} in ('kakao', 'apple', 'google')`)
])

/**
 * Provider tokens to revoke (Apple's refresh tokens), queued in the transaction that removed
 * their identity; a sweeper revokes them and deletes the rows. No foreign key: it outlives the member.
 */
export const providerRevocations = pgTable('provider_revocations', {
  id: uuid('id').primaryKey(),
  provider: text('provider', { enum: ['kakao', 'apple', 'google'] }).notNull(),
  token: text('token').notNull(),
  clientId: text('client_id').notNull(),
  queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0)
}, (table) => [
  index('provider_revocations_not_before_idx').on(table.notBefore),
  check('provider_revocations_provider_valid', sql`${table.provider} in ('kakao', 'apple', 'google')`)
])

/** Members' WebAuthn credentials (passkeys). Go with the member (the foreign key cascades). */
export const passkeys = pgTable('passkeys', {
  /** base64url, as WebAuthn hands it over. */
  credentialId: text('credential_id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** The COSE public key, as the authenticator gave it. */
  publicKey: bytea('public_key').notNull(),
  counter: bigint('counter', { mode: 'number' }).notNull(),
  transports: text('transports').array().notNull(),
  deviceType: text('device_type', { enum: ['singleDevice', 'multiDevice'] }).notNull(),
  backedUp: boolean('backed_up').notNull(),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' })
}, (table) => [
  index('passkeys_user_idx').on(table.userId),
  check('passkeys_device_type_valid', sql`${table.deviceType} in ('singleDevice', 'multiDevice')`),
  check('passkeys_counter_valid', sql`${table.counter} >= 0`)
])
