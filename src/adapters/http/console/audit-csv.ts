import type { AuditEntry } from '../../../application/ports/records/audit-log.js'
import type { NamedEntries } from '../../../application/audit/read-audit-trail.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import { detailLines } from './pages/audit-pages.js'
import { FILES_AUDIT_TEXTS } from './pages/files-audit-texts.js'
import type { Frame } from './pages/layout.js'

// A spreadsheet reads a cell starting with one of these as a formula (a reason or a username a
// member typed could run as one): such a cell is written with a leading apostrophe, as text.
const FORMULA_START = /^[=+\-@\t\r]/

/** One CSV cell: formula-safe, quoted, inner quotes doubled. */
export function csvCell (value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return `"${safe.replaceAll('"', '""')}"`
}

// The byte order mark: without it Excel reads UTF-8 as the local code page and Korean is garbled.
const BOM = '\uFEFF'

const actorText = (entry: AuditEntry): string => {
  switch (entry.actor.kind) {
    case 'staff': return entry.actor.email
    case 'member': return toShortUuid(entry.actor.memberId)
    case 'api-key': return 'api-key'
    case 'system': return 'system'
  }
}

/**
 * The trail as a CSV file (RFC 4180, CRLF lines, every cell quoted), headers and action names in
 * the reader's language, the action code and the time in UTC beside them for tools.
 */
export function auditCsv (
  frame: Frame,
  { entries, usernames }: NamedEntries,
  staffEmails: ReadonlyMap<string, string>
): string {
  const { t } = frame
  const x = FILES_AUDIT_TEXTS[frame.language]
  const header = [
    t.when, 'UTC', t.action, 'action', t.actor, 'actor_kind', t.member, x.memberUuid, x.target, t.address, t.details
  ]
  const rows = entries.map(entry => [
    new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Seoul', dateStyle: 'short', timeStyle: 'medium' })
      .format(entry.at) + ' KST',
    entry.at.toISOString(),
    x.actions[entry.action] ?? entry.action,
    entry.action,
    actorText(entry),
    entry.actor.kind,
    entry.memberId === null ? '' : (usernames.get(entry.memberId) ?? ''),
    entry.memberId === null ? '' : toShortUuid(entry.memberId),
    entry.targetStaffId === null ? '' : (staffEmails.get(entry.targetStaffId) ?? entry.targetStaffId),
    entry.address ?? '',
    // The target has its own column here.
    detailLines(frame, { ...entry, targetStaffId: null }).join(' · ')
  ])
  return BOM + [header, ...rows].map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
