import type {
  FamilyRecord,
  RevocationLedger,
  RevocationRecord
} from '../../src/application/ports/records/revocation-ledger.js'

/** The ledger's twin in memory, for tests of the use-cases (the embedded default uses PGlite's). */
export function createMemoryRevocationLedger (): RevocationLedger {
  const revoked = new Map<string, Date>()
  const families = new Map<string, FamilyRecord>()
  const pages = async <T>(rows: T[], size: number, page: (records: T[]) => Promise<void>) => {
    for (let i = 0; i < rows.length; i += size) await page(rows.slice(i, i + size))
  }
  return {
    async revoke (id, until) {
      if (revoked.has(id)) return false
      revoked.set(id, new Date(until))
      return true
    },
    async recordFamilies (records) {
      for (const record of records) {
        const seen = families.get(record.family)
        if (seen === undefined || seen.rotatedAt < record.rotatedAt) {
          families.set(record.family, { ...record, until: new Date(record.until) })
        }
      }
    },
    async eachRevocation (now, size, page) {
      const rows: RevocationRecord[] = [...revoked]
        .filter(([, until]) => until > now)
        .map(([id, until]) => ({ id, until: new Date(until) }))
      await pages(rows.sort((a, b) => a.id.localeCompare(b.id)), size, page)
    },
    async eachFamily (now, size, page) {
      const rows = [...families.values()]
        .filter(record => record.until > now)
        .map(record => ({ ...record, until: new Date(record.until) }))
      await pages(rows.sort((a, b) => a.family.localeCompare(b.family)), size, page)
    },
    async purge (now) {
      let count = 0
      for (const [id, until] of revoked) if (until < now && revoked.delete(id)) count++
      for (const [family, record] of families) if (record.until < now && families.delete(family)) count++
      return count
    }
  }
}
