import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { Database } from '../../src/adapters/drizzle/database.js'
import { interests, professions } from '../../src/adapters/drizzle/schema.js'
import { uniqueSuffix } from '../helpers/services.js'
import { accountRepositoryContract } from './account-repository.contract.js'
import { emailChangeRepositoryContract } from './email-change-repository.contract.js'
import { fileDeletionQueueContract } from './file-deletion-queue.contract.js'
import { identityConfirmationsContract } from './identity-confirmations.contract.js'
import { linkedIdentitiesContract } from './linked-identities.contract.js'
import { passkeysContract } from './passkeys.contract.js'
import { providerRevocationsContract } from './provider-revocations.contract.js'
import { pushTokenRepositoryContract } from './push-token-repository.contract.js'
import { reviewRepositoryContract } from './review-repository.contract.js'
import type { CatalogIds, MakeUserStores } from './user-stores-fixture.js'

/**
 * Every member-store contract, on one adapter family: the member stores are one store cut by
 * capability (users and what hangs off them), so each family runs them all.
 */
export function memberStoreContracts (t: Test, make: MakeUserStores): void {
  t.test('AccountRepository', async t => accountRepositoryContract(t, make))
  t.test('EmailChangeRepository', async t => emailChangeRepositoryContract(t, make))
  t.test('ReviewRepository', async t => reviewRepositoryContract(t, make))
  t.test('FileDeletionQueue', async t => fileDeletionQueueContract(t, make))
  t.test('PushTokenRepository', async t => pushTokenRepositoryContract(t, make))
  t.test('IdentityConfirmations', async t => identityConfirmationsContract(t, make))
  t.test('LinkedIdentities', async t => linkedIdentitiesContract(t, make))
  t.test('Passkeys', async t => passkeysContract(t, make))
  t.test('ProviderRevocations', async t => providerRevocationsContract(t, make))
}

/** Catalog rows a profile references (foreign keys hold in SQL): two interests and a profession. */
export async function seedCatalog (db: Database): Promise<CatalogIds> {
  const interestIds = [randomUUID(), randomUUID()]
  const professionId = randomUUID()
  await db
    .insert(interests)
    .values(interestIds.map((id, i) => ({ id, name: `관심사 ${i} ${uniqueSuffix()}`, emoji: '⛳' })))
  await db.insert(professions).values({ id: professionId, name: `의사 ${uniqueSuffix()}`, emoji: '👨‍⚕️' })
  return { interestIds, professionId }
}
