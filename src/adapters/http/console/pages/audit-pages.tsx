import type { AuditEntry } from '../../../../application/ports/records/audit-log.js'
import { toShortUuid } from '../../../../domain/short-uuid.js'
import { renderPage, when, type Frame } from './layout.js'

const actorOf = (entry: AuditEntry): string => {
  switch (entry.actor.kind) {
    case 'staff': return entry.actor.email
    case 'member': return `member ${toShortUuid(entry.actor.memberId)}`
    case 'api-key': return 'api-key'
    case 'system': return 'system'
  }
}

const detailOf = (entry: AuditEntry): string =>
  [
    ...Object.entries(entry.detail).map(([key, value]) => `${key}: ${String(value)}`),
    ...(entry.reason === null ? [] : [`reason: ${entry.reason}`])
  ].join(' · ')

export function AuditTable ({ frame, entries }: { frame: Frame, entries: AuditEntry[] }) {
  const { t } = frame
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
              <td>{actorOf(entry)}</td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>
                {entry.memberId === null
                  ? (
                      ''
                    )
                  : (
                      <a href={`/console/members/${toShortUuid(entry.memberId)}`}>{toShortUuid(entry.memberId)}</a>
                    )}
              </td>
              <td>{entry.address ?? ''}</td>
              <td>{detailOf(entry)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export interface AuditPageInput {
  member: string
  staffId: string
  staffOptions: Array<{ id: string, email: string }>
  entries: AuditEntry[]
  /** The next page's query, or null on the last page. */
  older: string | null
}

export function auditPage (frame: Frame, input: AuditPageInput): string {
  const { t } = frame
  return renderPage(
    frame,
    t.auditTitle,
    <>
      <form method='get' action='/console/audit' class='filters card'>
        <div>
          <label for='member'>{t.auditMember}</label>
          <input id='member' name='member' value={input.member} />
        </div>
        <div>
          <label for='staff'>{t.auditStaff}</label>
          <select id='staff' name='staff'>
            <option value='' selected={input.staffId === ''}>
              {t.allStatuses}
            </option>
            {input.staffOptions.map(option => (
              <option key={option.id} value={option.id} selected={input.staffId === option.id}>
                {option.email}
              </option>
            ))}
          </select>
        </div>
        <button type='submit'>{t.filter}</button>
      </form>
      {input.entries.length === 0 ? <p>{t.noEntries}</p> : <AuditTable frame={frame} entries={input.entries} />}
      {input.older !== null && (
        <p>
          <a href={`/console/audit?${input.older}`} rel='next'>
            {t.older}
          </a>
        </p>
      )}
    </>
  )
}
