import { AUDIT_ACTIONS, type AuditEntry } from '../../../../application/ports/records/audit-log.js'
import { toShortUuid } from '../../../../domain/short-uuid.js'
import { FILES_AUDIT_TEXTS } from './files-audit-texts.js'
import { renderPage, when, type Frame } from './layout.js'

/** What the trail's ids stand for on a page: members by username, staff by email (each may be unknown). */
export interface AuditNames {
  usernames?: ReadonlyMap<string, string | null>
  staffEmails?: ReadonlyMap<string, string>
}

/** A member as an entry names them: their username linking to their page, else their short uuid. */
function MemberLink ({ frame, id, names }: { frame: Frame, id: string, names: AuditNames }) {
  const uuid = toShortUuid(id)
  const username = names.usernames?.get(id)
  const gone = names.usernames !== undefined && username === null
  return (
    <>
      <a href={`/console/members/${uuid}`}>{username ?? uuid}</a>
      {gone && <small class='muted'> {FILES_AUDIT_TEXTS[frame.language].unknownMember}</small>}
    </>
  )
}

function Actor ({ frame, entry, names }: { frame: Frame, entry: AuditEntry, names: AuditNames }) {
  const x = FILES_AUDIT_TEXTS[frame.language]
  switch (entry.actor.kind) {
    case 'staff': return <>{entry.actor.email}</>
    case 'member':
      return (
        <>
          {x.memberActor} (<MemberLink frame={frame} id={entry.actor.memberId} names={names} />)
        </>
      )
    case 'api-key': return <>{x.apiKey}</>
    case 'system': return <>{x.staffSystem}</>
  }
}

/** The entry's facts in words: the staff member acted upon, the reason, then the detail's fields. */
export function detailLines (frame: Frame, entry: AuditEntry, names: AuditNames = {}): string[] {
  const x = FILES_AUDIT_TEXTS[frame.language]
  const target = entry.targetStaffId === null
    ? []
    : [`${x.target}: ${names.staffEmails?.get(entry.targetStaffId) ?? entry.targetStaffId}`]
  return [
    ...target,
    ...(entry.reason === null ? [] : [`${x.reasonLabel}: ${entry.reason}`]),
    ...Object.entries(entry.detail).map(([key, value]) => `${key}: ${String(value)}`)
  ]
}

/** The trail as a table that fits a 1280 px screen: actions in words, the details column wraps. */
export function AuditTable (
  { frame, entries, names = {} }: { frame: Frame, entries: AuditEntry[], names?: AuditNames }
) {
  const { t } = frame
  const x = FILES_AUDIT_TEXTS[frame.language]
  return (
    <div class='table-wrap'>
      <table class='audit'>
        <thead>
          <tr>
            <th scope='col'>{t.when}</th>
            <th scope='col'>{t.actor}</th>
            <th scope='col'>{t.action}</th>
            <th scope='col'>{t.member}</th>
            <th scope='col'>{t.address}</th>
            <th scope='col'>{t.details}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(entry => (
            <tr key={entry.id}>
              <td>{when(frame, entry.at)}</td>
              <td>
                <Actor frame={frame} entry={entry} names={names} />
              </td>
              <td class='action' data-action={entry.action}>
                {x.actions[entry.action] ?? entry.action}
              </td>
              <td>{entry.memberId === null ? '' : <MemberLink frame={frame} id={entry.memberId} names={names} />}</td>
              <td>{entry.address ?? ''}</td>
              <td class='details'>
                {detailLines(frame, entry, names).map((line, index) => (
                  <div key={index}>{line}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The filters as typed, kept in the form and in every link (paging, export). */
export interface AuditFilters {
  from: string
  to: string
  action: string
  staff: string
  member: string
}

/** The filters as a query string, empty ones left out. */
export function filterQuery (filters: AuditFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value !== '') params.set(key, value)
  return params.toString()
}

export interface AuditPageInput {
  filters: AuditFilters
  staffOptions: Array<{ id: string, email: string }>
  entries: AuditEntry[]
  names: AuditNames
  /** The next page's cursor, or null on the last page. */
  before: string | null
  exportLimit: number
}

export function auditPage (frame: Frame, input: AuditPageInput, error: string | null = null): string {
  const { t } = frame
  const x = FILES_AUDIT_TEXTS[frame.language]
  const { filters } = input
  const exportQuery = filterQuery(filters)
  return renderPage(
    frame,
    t.auditTitle,
    <>
      <form method='get' action='/console/audit' class='filters card'>
        <div>
          <label for='from'>{x.from}</label>
          <input id='from' name='from' type='date' value={filters.from} />
        </div>
        <div>
          <label for='to'>{x.to}</label>
          <input id='to' name='to' type='date' value={filters.to} />
        </div>
        <div>
          <label for='action'>{t.action}</label>
          <select id='action' name='action'>
            <option value='' selected={filters.action === ''}>
              {x.allActions}
            </option>
            {AUDIT_ACTIONS.map(action => (
              <option key={action} value={action} selected={filters.action === action}>
                {x.actions[action]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for='staff'>{t.auditStaff}</label>
          <select id='staff' name='staff'>
            <option value='' selected={filters.staff === ''}>
              {x.allStaff}
            </option>
            {input.staffOptions.map(option => (
              <option key={option.id} value={option.id} selected={filters.staff === option.id}>
                {option.email}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for='member'>{x.memberFilter}</label>
          <input id='member' name='member' value={filters.member} maxLength={64} />
        </div>
        <button type='submit'>{t.filter}</button>
      </form>
      <div class='audit-export'>
        <a class='button secondary' href={`/console/audit.csv${exportQuery === '' ? '' : `?${exportQuery}`}`} download>
          {x.exportCsv}
        </a>
        <small class='muted'>{x.exportHelp(input.exportLimit)}</small>
      </div>
      {input.entries.length === 0
        ? <p>{t.noEntries}</p>
        : <AuditTable frame={frame} entries={input.entries} names={input.names} />}
      {input.before !== null && (
        <p>
          <a href={`/console/audit?${filterQuery(filters, { before: input.before })}`} rel='next'>
            {t.older}
          </a>
        </p>
      )}
    </>,
    { error }
  )
}
