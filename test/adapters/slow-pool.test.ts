import t from 'tap'
import { createDatabasePorts } from '../../src/adapters/drizzle/database-ports.js'
import type { QueryLoad } from '../../src/adapters/drizzle/translate-database-error.js'
import { randomIds } from '../../src/adapters/system/random-ids.js'
import { openMigratedPglite } from '../helpers/pglite.js'
import { noPglite } from '../helpers/services.js'

// The slow reads (console search and counts, the trail's pages, the sweepers' scans) are counted on
// the slow pool's load, the rest on the primary's: db_pool_waiting{pool="primary"} must not show a
// long search as sign-ins waiting for a connection. One database stands in for both pools here.

t.test('each read is counted on the pool it runs on, while it runs', { skip: noPglite }, async t => {
  const handle = await openMigratedPglite()
  t.teardown(() => handle.close())
  const primary: QueryLoad = { inFlight: 0 }
  const slow: QueryLoad = { inFlight: 0 }
  const ports = createDatabasePorts(handle.db, randomIds, { load: primary }, {
    slow: { db: handle.db, load: slow }
  })
  const memberId = randomIds.newId()
  const search = { status: null, text: 'x', mobile: null, order: 'oldest', offset: 0, limit: 10 } as const
  const reads: Array<[string, 'primary' | 'slow', () => Promise<unknown>]> = [
    ['console search', 'slow', () => ports.review.search(search)],
    ['console counts', 'slow', () => ports.review.countSearch(search)],
    ['a page of the trail', 'slow', () => ports.audit.list({ limit: 10 })],
    ['a member\'s trail', 'primary', () => ports.audit.list({ memberId, limit: 10 })],
    ['due file deletions', 'slow', () => ports.fileDeletions.dueFileDeletions(new Date(), 10)],
    ['due verification purges', 'slow', () => ports.fileDeletions.dueVerificationPurges(new Date(), 10)],
    ['a member', 'primary', () => ports.accounts.findById(memberId)]
  ]
  for (const [name, pool, read] of reads) {
    const running = read()
    t.same(
      { primary: primary.inFlight, slow: slow.inFlight },
      pool === 'slow' ? { primary: 0, slow: 1 } : { primary: 1, slow: 0 },
      `${name}: on the ${pool} pool`
    )
    await running
    t.same({ primary: primary.inFlight, slow: slow.inFlight }, { primary: 0, slow: 0 }, `${name}: done`)
  }
})
