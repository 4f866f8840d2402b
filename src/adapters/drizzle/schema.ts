import { sql } from 'drizzle-orm'
import { boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

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

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email'),
  passwordHash: text('password_hash'),
  mobile: text('mobile'),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull(),
  rejectionReason: text('rejection_reason'),
  tokensValidAfter: timestamp('tokens_valid_after', { withTimezone: true, mode: 'date' }),
  /** The language of the member's SMS and pushes, from the Accept-Language of sign-up and sign-in. */
  language: text('language', { enum: ['ko', 'en'] }).notNull().default('ko'),
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
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
}, (table) => [
  uniqueIndex('users_email_key').on(table.email),
  uniqueIndex('users_mobile_key').on(table.mobile),
  uniqueIndex('users_username_key').on(table.username),
  // An uploaded file belongs to one member: deleting one account must never delete another's photo.
  uniqueIndex('users_avatar_key_key').on(table.avatarKey),
  uniqueIndex('users_profile_key_key').on(table.profileKey),
  index('users_status_created_idx').on(table.status, table.createdAt),
  check('users_email_normalised', sql`${table.email} = lower(btrim(${table.email}))`),
  check('users_status_valid', sql`${table.status} in ('pending', 'approved', 'rejected')`),
  check('users_language_valid', sql`${table.language} in ('ko', 'en')`),
  check('users_has_identity', sql`${table.email} is not null or ${table.mobile} is not null`)
])

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
