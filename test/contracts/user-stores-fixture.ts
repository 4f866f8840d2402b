import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { IdentityConfirmation } from '../../src/domain/identity.js'
import type { Passkey } from '../../src/domain/passkey.js'
import type { LinkedIdentity } from '../../src/domain/sign-in-provider.js'
import type { NewUser, PhoneNumber, PhoneProfile } from '../../src/domain/user.js'
import type { Clock } from '../../src/application/ports/system/clock.js'
import { makeRecordDecision, type RecordDecision } from '../../src/application/review/record-decision.js'
import type { UserStores } from '../fakes/memory-user-stores.js'
import { uniqueSuffix } from '../helpers/services.js'

// What the member stores' contract suites (accounts, email changes, review, file deletions, push
// tokens, identities, provider identities, passkeys, provider revocations) share: the ports over
// one store, and members to put in it.

export interface CatalogIds { interestIds: string[], professionId: string | null }

/**
 * The member stores of one adapter family over one store; `clock` stamps decisions as the
 * use-cases do, and `catalog` names rows the profiles may reference (foreign keys hold in SQL).
 */
export interface UserStoresFixture extends UserStores { catalog: CatalogIds, clock: Clock }

export type MakeUserStores = (t: Test) => Promise<UserStoresFixture>

/** How the core sets a status (read, decideStatus, storeDecision): what a test writes a decision with. */
export const recordDecisionOn = (fixture: Pick<UserStoresFixture, 'accounts' | 'review' | 'clock'>): RecordDecision =>
  makeRecordDecision({ accounts: fixture.accounts, review: fixture.review, clock: fixture.clock })

export function emailUser (overrides: Partial<NewUser> = {}): NewUser {
  return {
    id: randomUUID(),
    email: `user-${uniqueSuffix()}@example.com`,
    passwordHash: 'hash',
    mobile: null,
    status: 'approved',
    language: 'ko',
    profile: null,
    pushToken: null,
    ...overrides
  }
}

export function phoneUser (catalog: CatalogIds, overrides: Partial<PhoneProfile> = {}): NewUser {
  const tag = uniqueSuffix() // upload keys are unique per member
  return {
    id: randomUUID(),
    email: null,
    passwordHash: null,
    mobile: randomMobile(),
    status: 'pending',
    language: 'ko',
    pushToken: null,
    profile: {
      username: `도도${uniqueSuffix()}`,
      name: '손흥민',
      birth: '1984-10-23',
      gender: 'male',
      carrier: 'SK telecom',
      foreigner: false,
      uniqueInSite: 'site-key',
      uniqueKey: 'unique-key',
      avatarKey: `images/users/avatars/a-${tag}.jpeg`,
      profileKey: `images/users/profiles/p-${tag}.jpeg`,
      professionId: catalog.professionId,
      interestIds: catalog.interestIds,
      verificationFiles: [
        { key: `images/users/verifications/v1-${tag}.jpeg`, displayOrder: 0 },
        { key: `images/users/verifications/v2-${tag}.jpeg`, displayOrder: 1 }
      ],
      ...overrides
    }
  }
}

/**
 * A confirmation as the provider and the core make it, with a verification id and keys nobody
 * else holds; instants with milliseconds, so a store that drops them shows.
 */
export function confirmedIdentity (overrides: Partial<IdentityConfirmation> = {}): IdentityConfirmation {
  const tag = uniqueSuffix()
  return {
    verificationId: `identity-verification-${tag}`,
    ci: `ci-${tag}`,
    di: `di-${tag}`,
    name: '손흥민',
    birth: '1992-07-08',
    gender: 'male',
    phone: '01012345678',
    mobile: '+821012345678' as PhoneNumber,
    carrier: 'SKT_MVNO',
    foreigner: false,
    verifiedAt: new Date('2026-05-01T10:00:00.123Z'),
    confirmedAt: new Date('2026-05-01T10:01:02.456Z'),
    ...overrides
  }
}

/** A provider identity of the member with a subject nobody else holds; instants with milliseconds. */
export function providerIdentity (memberId: string, overrides: Partial<LinkedIdentity> = {}): LinkedIdentity {
  return {
    memberId,
    provider: 'apple',
    subject: `001234.${uniqueSuffix()}.0987`,
    email: `relay-${uniqueSuffix()}@privaterelay.appleid.com`,
    emailVerified: true,
    name: '손흥민',
    linkedAt: new Date('2026-05-01T10:00:00.123Z'),
    lastUsedAt: new Date('2026-05-01T10:00:00.123Z'),
    ...overrides
  }
}

/** A passkey of the member with a credential id nobody else holds, and key bytes of every value. */
export function memberPasskey (memberId: string, overrides: Partial<Passkey> = {}): Passkey {
  return {
    credentialId: `cred-${uniqueSuffix()}`,
    memberId,
    publicKey: Uint8Array.from({ length: 77 }, (_, i) => (i * 37 + 255) % 256),
    counter: 0,
    transports: ['internal', 'hybrid'],
    deviceType: 'multiDevice',
    backedUp: true,
    name: null,
    createdAt: new Date('2026-05-01T10:00:00.123Z'),
    lastUsedAt: null,
    ...overrides
  }
}

/** A Korean mobile number nobody is likely to hold yet. */
export function randomMobile (): PhoneNumber {
  return `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` as PhoneNumber
}
