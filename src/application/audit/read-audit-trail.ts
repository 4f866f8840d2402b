import { ServiceUnavailableError } from '../../domain/errors.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { AuditActor, AuditEntry, AuditFilter, AuditLog } from '../ports/records/audit-log.js'
import type { ReviewRepository } from '../ports/records/review-repository.js'
import type { RecordAudit } from './record-audit.js'

export interface ReadAuditTrailDeps {
  audit: AuditLog
  accounts: Pick<AccountRepository, 'findProfileById'>
  review: Pick<ReviewRepository, 'search'>
  recordAudit: RecordAudit
}

/** The most entries one CSV export carries: a month of a busy console, and a file a spreadsheet opens at once. */
export const AUDIT_EXPORT_LIMIT = 10_000

/** Entries with the username of each member they name (null: no profile, or the member is gone). */
export interface NamedEntries { entries: AuditEntry[], usernames: Map<string, string | null> }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// Profiles are read by id a few at a time: a page names at most 50 members, an export a few thousand.
const LOOKUPS_AT_ONCE = 20

/** The trail as staff read it: members by username, a member found by username or uuid, the audited export. */
export const makeReadAuditTrail = ({ audit, accounts, review, recordAudit }: ReadAuditTrailDeps) => {
  const usernamesOf = async (entries: AuditEntry[]): Promise<Map<string, string | null>> => {
    const ids = [
      ...new Set(
        entries.flatMap(entry => [entry.memberId, entry.actor.kind === 'member' ? entry.actor.memberId : null])
      )
    ].filter((id): id is string => id !== null)
    const usernames = new Map<string, string | null>()
    for (let start = 0; start < ids.length; start += LOOKUPS_AT_ONCE) {
      const batch = ids.slice(start, start + LOOKUPS_AT_ONCE)
      const found = await Promise.all(batch.map(id => accounts.findProfileById(id)))
      batch.forEach((id, index) => usernames.set(id, found[index]?.profile?.username ?? null))
    }
    return usernames
  }

  const named = async (filter: AuditFilter): Promise<NamedEntries> => {
    const entries = await audit.list(filter)
    return { entries, usernames: await usernamesOf(entries) }
  }

  return {
    /**
     * The member a filter names: a short uuid, a uuid, or a username exactly (any case). Null when
     * it names no one, so the caller shows nothing rather than everything.
     */
    async memberIdOf (text: string): Promise<string | null> {
      const short = fromShortUuid(text)
      if (short !== null) return short
      if (UUID.test(text)) return text.toLowerCase()
      const { users } = await review.search({ status: null, text, mobile: null, order: 'newest', offset: 0, limit: 50 })
      const wanted = text.toLowerCase()
      return users.find(user => user.profile?.username.toLowerCase() === wanted)?.id ?? null
    },

    /** A page of the trail, newest first. */
    page: named,

    /**
     * Up to AUDIT_EXPORT_LIMIT entries of a filter for a CSV file. The export is an entry of its own
     * (its filters and row count in the detail), written before the file leaves: when the trail
     * cannot record it, nothing is exported (ServiceUnavailableError).
     */
    async export (
      by: { actor: AuditActor, address: string | null },
      filter: Omit<AuditFilter, 'limit' | 'before'>,
      described: Record<string, string>
    ): Promise<NamedEntries> {
      const result = await named({ ...filter, limit: AUDIT_EXPORT_LIMIT })
      try {
        await recordAudit(by.actor, 'audit.exported', {
          address: by.address,
          detail: { ...described, rows: result.entries.length, limit: AUDIT_EXPORT_LIMIT }
        })
      } catch {
        throw new ServiceUnavailableError()
      }
      return result
    }
  }
}

export type ReadAuditTrail = ReturnType<typeof makeReadAuditTrail>
