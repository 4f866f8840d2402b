import type { UserStatus } from '../../../../domain/user.js'
import { Csrf, renderPage, when, type Frame } from './layout.js'
import { QUEUE_TEXTS } from './queue-texts.js'

/** The queue's filters as the URL carries them: absent means "any" (status: pending). */
export interface QueueParams {
  status: UserStatus | 'all'
  q: string
  from: string
  to: string
  dup: '' | 'yes' | 'no'
  foreigner: '' | 'yes' | 'no'
  identity: '' | 'confirmed' | 'unconfirmed'
  carrier: string
  sort: '' | 'oldest' | 'newest' | 'waiting' | 'name'
  size: number
  page: number
}

export const DEFAULT_QUEUE_PARAMS: QueueParams = {
  status: 'pending',
  q: '',
  from: '',
  to: '',
  dup: '',
  foreigner: '',
  identity: '',
  carrier: '',
  sort: '',
  size: 25,
  page: 1
}

/** The queue's address for these filters: only what differs from the defaults, so a link stays short. */
export function queueHref (params: QueueParams, page = params.page): string {
  const query = new URLSearchParams()
  for (const key of ['status', 'q', 'from', 'to', 'dup', 'foreigner', 'identity', 'carrier', 'sort', 'size'] as const) {
    if (params[key] !== DEFAULT_QUEUE_PARAMS[key]) query.set(key, String(params[key]))
  }
  if (page !== 1) query.set('page', String(page))
  const text = query.toString()
  return text === '' ? '/console/queue' : `/console/queue?${text}`
}

export interface QueueRowView {
  uuid: string
  username: string | null
  name: string | null
  /** The number as people write it, or the email when there is no number. */
  contact: string | null
  status: UserStatus
  createdAt: Date
  waitedMs: number
  duplicate: boolean
  /** PortOne confirmed the member's identity. */
  confirmed: boolean
  foreigner: boolean | null
  carrier: string | null
  thumbUrl: string | null
  /** The member's review state as the decision form carries it. */
  version: string
}

export interface QueueView {
  params: QueueParams
  total: number
  statuses: Record<UserStatus, number>
  carriers: Array<{ carrier: string, count: number }>
  rows: QueueRowView[]
  pageSizes: readonly number[]
  bulkLimit: number
}

/** "3 h", "2 d": whole minutes under an hour, whole hours under a day, whole days after. */
export function waitedText (frame: Frame, ms: number): string {
  const q = QUEUE_TEXTS[frame.language]
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return q.waited(minutes, 'min')
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return q.waited(hours, 'h')
  return q.waited(Math.floor(hours / 24), 'd')
}

/** Page numbers to link: the first, the last, and two either side of the current one; null marks a gap. */
export function pageNumbers (current: number, last: number): Array<number | null> {
  const shown = [...new Set([1, last, ...[-2, -1, 0, 1, 2].map(step => current + step)])]
    .filter(page => page >= 1 && page <= last)
    .sort((a, b) => a - b)
  const numbers: Array<number | null> = []
  for (const page of shown) {
    const previous = numbers.at(-1)
    if (previous != null && page - previous > 1) numbers.push(null)
    numbers.push(page)
  }
  return numbers
}

const StatusBadge = ({ frame, status }: { frame: Frame, status: UserStatus }) => (
  <span class={`badge ${status}`}>{frame.t[status]}</span>
)

function Choice ({ id, label, name, value, options }: {
  id: string
  label: string
  name: string
  value: string
  options: Array<[string, string]>
}) {
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        {options.map(([option, text]) => (
          <option key={option} value={option} selected={option === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
}

function QueueFilters ({ frame, view }: { frame: Frame, view: QueueView }) {
  const { t } = frame
  const q = QUEUE_TEXTS[frame.language]
  const { params, statuses } = view
  const everyone = statuses.pending + statuses.approved + statuses.rejected
  const carriers = view.carriers.some(item => item.carrier === params.carrier) || params.carrier === ''
    ? view.carriers
    : [...view.carriers, { carrier: params.carrier, count: 0 }]
  return (
    <form method='get' action='/console/queue' class='filters card queue-filters'>
      <div>
        <label for='q'>{t.search}</label>
        <input id='q' name='q' type='search' value={params.q} aria-describedby='q-help' maxLength={100} />
        <small id='q-help' class='muted'>
          {t.searchHelp}
        </small>
      </div>
      <Choice
        id='status'
        label={t.status}
        name='status'
        value={params.status}
        options={[
          ...(['pending', 'approved', 'rejected'] as const).map(
            (status): [string, string] => [status, `${t[status]} (${statuses[status]})`]
          ),
          ['all', `${t.allStatuses} (${everyone})`]
        ]}
      />
      <div>
        <label for='from'>{q.signedUpFrom}</label>
        <input id='from' name='from' type='date' value={params.from} />
      </div>
      <div>
        <label for='to'>{q.signedUpTo}</label>
        <input id='to' name='to' type='date' value={params.to} />
      </div>
      <Choice
        id='dup'
        label={q.duplicate}
        name='dup'
        value={params.dup}
        options={[['', q.any], ['yes', q.duplicateOnly], ['no', q.duplicateNone]]}
      />
      <Choice
        id='foreigner'
        label={q.foreigner}
        name='foreigner'
        value={params.foreigner}
        options={[['', q.any], ['yes', q.foreignersOnly], ['no', q.koreansOnly]]}
      />
      <Choice
        id='identity'
        label={q.identity}
        name='identity'
        value={params.identity}
        options={[['', q.any], ['confirmed', q.identityConfirmed], ['unconfirmed', q.identityUnconfirmed]]}
      />
      <Choice
        id='carrier'
        label={q.carrier}
        name='carrier'
        value={params.carrier}
        options={[
          ['', q.any],
          ...carriers.map((item): [string, string] => [item.carrier, `${item.carrier} (${item.count})`])
        ]}
      />
      <Choice
        id='sort'
        label={q.sort}
        name='sort'
        value={params.sort}
        options={[
          ['', params.status === 'pending' ? q.sorts.oldest : q.sorts.newest],
          ...(['oldest', 'newest', 'waiting', 'name'] as const).map((sort): [string, string] => [sort, q.sorts[sort]])
        ]}
      />
      <Choice
        id='size'
        label={q.pageSize}
        name='size'
        value={String(params.size)}
        options={view.pageSizes.map((size): [string, string] => [String(size), q.perPage(size)])}
      />
      <div class='filter-buttons'>
        <button type='submit'>{t.filter}</button> <a href='/console/queue'>{q.reset}</a>
      </div>
    </form>
  )
}

function QueueRow ({ frame, row }: { frame: Frame, row: QueueRowView }) {
  const { t } = frame
  const q = QUEUE_TEXTS[frame.language]
  const label = row.username ?? row.contact ?? row.uuid
  const waited = waitedText(frame, row.waitedMs)
  return (
    <tr class={`queue-row ${row.status}`}>
      <td class='q-select' data-label={q.selected}>
        {row.status === 'pending' && (
          <>
            <input
              type='checkbox'
              name='m'
              value={`${row.uuid}:${row.version}`}
              id={`m-${row.uuid}`}
              aria-label={q.select(label)}
            />
            <input type='hidden' name='page_m' value={`${row.uuid}:${row.version}`} />
          </>
        )}
      </td>
      <td class='q-photo' data-label={q.photo}>
        {row.thumbUrl === null
          ? <span class='q-no-photo muted'>{q.noPhoto}</span>
          : <img class='q-thumb' src={row.thumbUrl} alt='' width={48} height={48} loading='lazy' decoding='async' />}
      </td>
      <td class='q-member' data-label={q.member}>
        <a href={`/console/members/${row.uuid}`}>{label}</a>
        {row.name !== null && <span class='q-name'>{row.name}</span>}
      </td>
      <td class='q-contact' data-label={q.contact}>{row.contact ?? '—'}</td>
      <td class='q-signed-up' data-label={t.signedUpAt}>{when(frame, row.createdAt)}</td>
      <td class='q-waiting' data-label={q.waiting}>
        {row.status === 'pending' ? waited : <span class='muted'>{q.decidedAfter(waited)}</span>}
      </td>
      <td class='q-flags' data-label={q.duplicate}>
        {row.confirmed && (
          <span class='badge identity-confirmed' title={q.identityHelp}>
            {q.identityBadge}
          </span>
        )}
        {row.duplicate && (
          <span class='badge duplicate' title={q.duplicateHelp}>
            {q.duplicateBadge}
          </span>
        )}
        {row.foreigner === true && <span class='badge foreigner'>{q.foreigner}</span>}
        {row.carrier !== null && <span class='q-carrier muted'>{row.carrier}</span>}
      </td>
      <td class='q-status' data-label={t.status}>
        <StatusBadge frame={frame} status={row.status} />
      </td>
    </tr>
  )
}

function Pager ({ frame, params, total }: { frame: Frame, params: QueueParams, total: number }) {
  const q = QUEUE_TEXTS[frame.language]
  const { t } = frame
  const last = Math.max(1, Math.ceil(total / params.size))
  return (
    <nav class='pager queue-pager' aria-label={q.pages}>
      {params.page > 1 && (
        <a href={queueHref(params, params.page - 1)} rel='prev'>
          {t.previous}
        </a>
      )}
      <ol class='page-numbers'>
        {pageNumbers(params.page, last).map((page, index) =>
          page === null
            ? <li key={`gap-${index}`} aria-hidden='true'>…</li>
            : (
                <li key={page}>
                  {page === params.page
                    ? <span aria-current='page' aria-label={q.currentPage(page)}>{page}</span>
                    : <a href={queueHref(params, page)} aria-label={q.pageLink(page)}>{page}</a>}
                </li>
              )
        )}
      </ol>
      {params.page < last && (
        <a href={queueHref(params, params.page + 1)} rel='next'>
          {t.next}
        </a>
      )}
    </nav>
  )
}

/**
 * The queue: filters (all in the URL), counts per status and carrier, the members with their photo,
 * duplicate flag, number and wait, page numbers, and a form that asks to approve the ticked
 * (or every pending) member on the page: it only leads to a confirmation listing who.
 */
export function queuePage (frame: Frame, view: QueueView, error: string | null = null): string {
  const { t } = frame
  const q = QUEUE_TEXTS[frame.language]
  const pending = view.rows.filter(row => row.status === 'pending').length
  return renderPage(
    frame,
    t.queue,
    <>
      <QueueFilters frame={frame} view={view} />
      <p class='muted' id='total'>
        {t.total(view.total)}
      </p>
      {view.rows.length === 0
        ? <p>{t.noMembers}</p>
        : (
            <form method='post' action='/console/queue/approve' class='queue-bulk'>
              <Csrf token={frame.csrf} />
              <input type='hidden' name='back' value={queueHref(view.params)} />
              <div class='table-wrap'>
                <table class='queue'>
                  <thead>
                    <tr>
                      <th scope='col' class='q-select'>{q.selected}</th>
                      <th scope='col' class='q-photo'>{q.photo}</th>
                      <th scope='col' class='q-member'>{q.member}</th>
                      <th scope='col' class='q-contact'>{q.contact}</th>
                      <th scope='col' class='q-signed-up'>{t.signedUpAt}</th>
                      <th scope='col' class='q-waiting'>{q.waiting}</th>
                      <th scope='col' class='q-flags'>{q.duplicate}</th>
                      <th scope='col' class='q-status'>{t.status}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.rows.map(row => <QueueRow key={row.uuid} frame={frame} row={row} />)}
                  </tbody>
                </table>
              </div>
              {pending > 0 && (
                <div class='bulk-actions'>
                  <button type='submit' name='scope' value='selected'>
                    {q.approveSelected}
                  </button>
                  <button type='submit' name='scope' value='page' class='secondary'>
                    {q.approveAllOnPage}
                  </button>
                  <p class='muted'>{q.bulkHelp(view.bulkLimit)}</p>
                </div>
              )}
            </form>
          )}
      <Pager frame={frame} params={view.params} total={view.total} />
    </>,
    { error }
  )
}
