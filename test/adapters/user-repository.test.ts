import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import { connectPostgres, openPglite, type DatabaseHandle } from '../../src/adapters/drizzle/database.js'
import { createDrizzleUserRepository } from '../../src/adapters/drizzle/drizzle-user-repository.js'
import { interests, professions } from '../../src/adapters/drizzle/schema.js'
import { MemoryUserRepository } from '../../src/adapters/memory/memory-user-repository.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { userRepositoryContract, type RepositoryFixture } from '../contracts/user-repository.contract.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { createTestDatabase, noPg, uniqueSuffix } from '../helpers/services.js'

/** Catalog rows the profile references (foreign keys hold in SQL). */
async function drizzleFixture (t: Test, handle: DatabaseHandle): Promise<RepositoryFixture> {
  t.teardown(() => handle.close())
  await handle.migrate()
  const interestIds = [randomUUID(), randomUUID()]
  const professionId = randomUUID()
  await handle.db.insert(interests).values(interestIds.map((id, i) => ({ id, name: `관심사 ${i} ${uniqueSuffix()}`, emoji: '⛳' })))
  await handle.db.insert(professions).values({ id: professionId, name: `의사 ${uniqueSuffix()}`, emoji: '👨‍⚕️' })
  return { users: createDrizzleUserRepository(handle.db, randomIds), catalog: { interestIds, professionId } }
}

t.test('memory', async (t) => userRepositoryContract(t, async () => {
  // The memory clock ticks so "newest first" has an order to follow.
  const clock = new ManualClock()
  const users = new MemoryUserRepository({ now: () => { clock.advance(1); return clock.now() } })
  return { users, catalog: { interestIds: [randomUUID(), randomUUID()], professionId: randomUUID() } }
}))

t.test('pglite', async (t) => userRepositoryContract(t, async (t) => drizzleFixture(t, await openPglite(null))))

t.test('postgresql', { skip: noPg }, async (t) => userRepositoryContract(t, async (t) => {
  const url = await createTestDatabase(t)
  return drizzleFixture(t, connectPostgres({ url, poolSize: 5, connectTimeoutSeconds: 5 }))
}))
