import { DuplicateValueError } from '../../src/domain/errors.js'
import { randomUUID } from 'node:crypto'
import type { IdentityConfirmation } from '../../src/domain/identity.js'
import type { Passkey } from '../../src/domain/passkey.js'
import type { LinkedIdentity, SignInProvider } from '../../src/domain/sign-in-provider.js'
import type { PhoneProfile, User, UserWithProfile } from '../../src/domain/user.js'
import type { Clock } from '../../src/application/ports/system/clock.js'

/** A linked identity as the SQL row holds it: with the provider's refresh token if one is kept. */
export interface StoredIdentity extends LinkedIdentity { refresh: { token: string, clientId: string } | null }

/** A provider token waiting for revocation, as the SQL queue holds it. */
export interface QueuedRevocation {
  provider: SignInProvider
  token: string
  clientId: string
  /** Insertion order: the tie-break of equal instants. */
  queuedAt: number
  notBefore: number
  attempts: number
}

/**
 * What the in-process twins of the member stores (accounts, email changes, review, file
 * deletions, push tokens, provider identities, passkeys) share, as the SQL adapters share the
 * users table: one object, so a member created through one port is seen through every other.
 * Stored values are copied on the way in and out so callers cannot mutate them.
 */
export interface MemoryUserState {
  clock: Clock
  users: Map<string, UserWithProfile>
  pendingEmails: Map<string, { email: string, passwordHash: string | null }>
  pushTokens: Map<string, { userId: string, at: number }>
  /** Insertion order of the users, the tie-break of equal sign-up instants. */
  order: Map<string, number>
  fileDeletions: Map<string, { queuedAt: number, notBefore: number }>
  /** The members' confirmed identities, by member id: deleted with the member. */
  identities: Map<string, IdentityConfirmation>
  /** Every verification id ever used: never forgotten, as the SQL table without a foreign key. */
  usedVerificationIds: Set<string>
  /** Provider identities by `identityKey(provider, subject)`: deleted with the member. */
  linkedIdentities: Map<string, StoredIdentity>
  /** Passkeys by credential id: deleted with the member. */
  passkeys: Map<string, Passkey>
  /** Provider tokens to revoke, by id: they outlive the member, as the SQL table without a foreign key. */
  providerRevocations: Map<string, QueuedRevocation>
  /** The next number of a monotonic sequence (insertion orders). */
  next: () => number
}

export function createMemoryUserState (clock: Clock): MemoryUserState {
  let sequence = 0
  return {
    clock,
    users: new Map(),
    pendingEmails: new Map(),
    pushTokens: new Map(),
    order: new Map(),
    fileDeletions: new Map(),
    identities: new Map(),
    usedVerificationIds: new Set(),
    linkedIdentities: new Map(),
    passkeys: new Map(),
    providerRevocations: new Map(),
    next: () => sequence++
  }
}

export const copyCore = (user: UserWithProfile): User => {
  const { profile: _profile, ...core } = user
  return structuredClone(core)
}

/** Adds a device token to an existing member (as the SQL adapter: nobody's token for a missing member). */
export function addPushToken (state: MemoryUserState, userId: string, token: string): void {
  if (!state.users.has(userId)) return
  state.pushTokens.set(token, { userId, at: state.next() })
}

/** Queues stored files for deletion, due now; a key already queued stays as it is. */
export function queueFileDeletions (state: MemoryUserState, keys: string[]): void {
  const now = state.clock.now().getTime()
  for (const key of keys) {
    if (!state.fileDeletions.has(key)) state.fileDeletions.set(key, { queuedAt: state.next(), notBefore: now })
  }
}

/**
 * The SQL keys on identities: DuplicateValueError('identity_verification_id') when the id was used
 * before (by a member since deleted too) or the member already holds a confirmation.
 */
export function assertIdentityFree (state: MemoryUserState, userId: string, identity: IdentityConfirmation): void {
  if (state.usedVerificationIds.has(identity.verificationId) || state.identities.has(userId)) {
    throw new DuplicateValueError('identity_verification_id')
  }
}

/** Records the verification id as used and the confirmation as the member's. */
export function storeIdentity (state: MemoryUserState, userId: string, identity: IdentityConfirmation): void {
  state.usedVerificationIds.add(identity.verificationId)
  state.identities.set(userId, structuredClone(identity))
}

/** The key of `linked_identities`: (provider, subject). */
export const identityKey = (provider: SignInProvider, subject: string): string => `${provider}\u0000${subject}`

/** Queues the identities' kept refresh tokens for revocation, due now (the SQL `now()`). */
export function queueProviderRevocations (state: MemoryUserState, removed: StoredIdentity[]): void {
  const now = state.clock.now().getTime()
  for (const { provider, refresh } of removed) {
    if (refresh === null) continue
    state.providerRevocations.set(randomUUID(), {
      provider,
      token: refresh.token,
      clientId: refresh.clientId,
      queuedAt: state.next(),
      notBefore: now,
      attempts: 0
    })
  }
}

/**
 * What the foreign keys' cascades do when a member goes: identities and passkeys are removed, the
 * identities' kept refresh tokens queued for revocation first (as `AccountRepository.delete` does).
 */
export function dropProviderCredentials (state: MemoryUserState, memberId: string): void {
  const removed: StoredIdentity[] = []
  for (const [key, identity] of state.linkedIdentities) {
    if (identity.memberId !== memberId) continue
    removed.push(identity)
    state.linkedIdentities.delete(key)
  }
  queueProviderRevocations(state, removed)
  for (const [id, passkey] of state.passkeys) if (passkey.memberId === memberId) state.passkeys.delete(id)
}

/** The SQL adapter's tie-break: lower-case uuids as text sort as PostgreSQL sorts uuids (by their bytes). */
export const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

export const filesOf = (profile: PhoneProfile | null): string[] =>
  profile === null
    ? []
    : [profile.avatarKey, profile.profileKey, ...profile.verificationFiles.map(file => file.key)].filter(
        (key): key is string => key !== null
      )

/** The SQL unique indexes on avatar, profile and verification file keys. */
export function assertFilesFree (wanted: PhoneProfile, held: PhoneProfile): void {
  if (wanted.avatarKey !== null && wanted.avatarKey === held.avatarKey) throw new DuplicateValueError('avatar')
  if (wanted.profileKey !== null && wanted.profileKey === held.profileKey) throw new DuplicateValueError('profile')
  const heldFiles = new Set(held.verificationFiles.map((file) => file.key))
  if (wanted.verificationFiles.some(file => heldFiles.has(file.key))) {
    throw new DuplicateValueError('verification_files')
  }
}

/** A sign-out cutoff that never moves back (as the database's `greatest`): the later instant stands. */
export const laterCutoff = (stored: Date | null, instant: Date): Date =>
  new Date(Math.max(stored?.getTime() ?? -Infinity, instant.getTime()))
