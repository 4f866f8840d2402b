import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type {
  FamilyRecord,
  RevocationLedger,
  RevocationRecord
} from '../../src/application/ports/records/revocation-ledger.js'

const NOW = new Date('2026-06-01T12:00:00.000Z')
const later = (ms: number) => new Date(NOW.getTime() + ms)

async function all<T> (
  each: (page: (records: T[]) => Promise<void>) => Promise<void>
): Promise<{ rows: T[], pages: number }> {
  const rows: T[] = []
  let pages = 0
  await each(async records => {
    pages++
    rows.push(...records)
  })
  return { rows, pages }
}

/** One contract for every RevocationLedger adapter: memory, PGlite, PostgreSQL. */
export function revocationLedgerContract (t: Test, make: (t: Test) => Promise<RevocationLedger>): void {
  t.test('a revocation is recorded once: the first caller alone hears true', async (t) => {
    const ledger = await make(t)
    const id = randomUUID()
    t.equal(await ledger.revoke(id, later(60_000)), true)
    t.equal(await ledger.revoke(id, later(60_000)), false)
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.revoke(`${id}/refresh`, later(60_000))))
    t.equal(results.filter(Boolean).length, 1, 'twenty at once: exactly one')
  })

  t.test('what is in force is read back page by page; what expired is not, and is purged', async (t) => {
    const ledger = await make(t)
    const live = Array.from({ length: 7 }, () => ({ id: randomUUID(), until: later(60_000) }))
    const dead = { id: randomUUID(), until: later(-1000) }
    for (const { id, until } of [...live, dead]) await ledger.revoke(id, until)
    const { rows, pages } = await all<RevocationRecord>((page) => ledger.eachRevocation(NOW, 3, page))
    t.same(rows.map((row) => row.id).sort(), live.map((row) => row.id).sort(), 'every live one, and only those')
    t.equal(pages, 3, 'in pages of at most three')
    t.equal(rows[0]!.until.toISOString(), later(60_000).toISOString(), 'with its instant')
    t.equal(await ledger.purge(NOW), 1, 'the expired row goes')
    t.equal(
      (await all<RevocationRecord>(page => ledger.eachRevocation(NOW, 100, page))).rows.length,
      7,
      'the live ones stay'
    )
  })

  t.test('a family keeps its latest rotation, whatever order the writes arrive in', async (t) => {
    const ledger = await make(t)
    const family = randomUUID()
    const record = (jti: string, rotatedAt: number): FamilyRecord => ({
      family,
      currentJti: jti,
      rotatedAt,
      until: later(86_400_000)
    })
    await ledger.recordFamilies([record('second', 2000)])
    await ledger.recordFamilies([record('first', 1000)])
    await ledger.recordFamilies([])
    await ledger.recordFamilies([record('fourth', 4000), record('third', 3000)])
    const other = { family: randomUUID(), currentJti: 'x', rotatedAt: 1, until: later(-1) }
    await ledger.recordFamilies([other])
    const { rows } = await all<FamilyRecord>((page) => ledger.eachFamily(NOW, 10, page))
    t.same(
      rows.filter(row => row.family === family).map(row => [row.currentJti, row.rotatedAt]),
      [['fourth', 4000]],
      'the later rotation stands'
    )
    t.notOk(rows.some((row) => row.family === other.family), 'an expired family is not read')
    t.ok(await ledger.purge(NOW) >= 1, 'and is purged')
  })

  t.test('a batch larger than one statement holds is written whole', async (t) => {
    const ledger = await make(t)
    const records = Array.from({ length: 2500 }, (_, i) => ({
      family: `${randomUUID()}-${i}`,
      currentJti: randomUUID(),
      rotatedAt: i,
      until: later(60_000)
    }))
    await ledger.recordFamilies(records)
    const { rows } = await all<FamilyRecord>((page) => ledger.eachFamily(NOW, 1000, page))
    t.equal(rows.length, 2500)
  })
}
