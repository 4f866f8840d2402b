import { Fragment } from 'preact'
import { Csrf, when, type Frame } from './layout.js'
import { IDENTITY_TEXTS } from './identity-texts.js'

/** The identity fields the member page sets side by side; `ci` and `di` are the keys. */
export type IdentityField = 'name' | 'birth' | 'gender' | 'mobile' | 'carrier' | 'foreigner' | 'ci' | 'di'

/** One field as the app claimed it and as PortOne confirmed it (null: not given). */
export interface IdentityRow {
  field: IdentityField
  claimed: string | boolean | null
  confirmed: string | boolean | null
  differs: boolean
}

/** A member's identity as the page shows it; keys (CI, DI) masked unless `revealed`. */
export interface IdentityInput {
  /** When PortOne confirmed the member: our acceptance and the provider's verification. */
  confirmation: { confirmedAt: Date, verifiedAt: Date } | null
  /** Every field when confirmed; the claimed keys alone when not. */
  rows: IdentityRow[]
  /** The keys are shown whole: the reveal was recorded on the trail. */
  revealed: boolean
  /** Some key exists to reveal. */
  hasKeys: boolean
}

const KEYS: ReadonlySet<IdentityField> = new Set(['ci', 'di'])

function Value ({ frame, row, value }: { frame: Frame, row: IdentityRow, value: string | boolean | null }) {
  const { t } = frame
  if (value === null) return <span class='muted'>—</span>
  if (typeof value === 'boolean') return <>{value ? t.yes : t.no}</>
  if (KEYS.has(row.field)) return <code class='identity-key'>{value}</code>
  if (row.field === 'gender') return <>{t.genders[value] ?? value}</>
  return <>{value}</>
}

/** Differing rows carry a class and a written marker: the difference is never told by colour alone. */
function Comparison ({ frame, row }: { frame: Frame, row: IdentityRow }) {
  const i = IDENTITY_TEXTS[frame.language]
  if (row.differs) {
    return (
      <strong class='differs-mark'>
        <span aria-hidden='true'>⚠ </span>
        {i.differs}
      </strong>
    )
  }
  if (row.claimed === null || row.confirmed === null) return <span class='muted'>—</span>
  return <span class='muted'>{i.same}</span>
}

function RevealForm ({ frame, uuid }: { frame: Frame, uuid: string }) {
  const i = IDENTITY_TEXTS[frame.language]
  return (
    <form method='post' action={`/console/members/${uuid}/identity/reveal`} class='identity-reveal'>
      <Csrf token={frame.csrf} />
      <button type='submit' class='secondary' aria-describedby='reveal-help'>
        {i.reveal}
      </button>
      <small id='reveal-help' class='muted'>
        {i.masked} {i.revealHelp}
      </small>
    </form>
  )
}

/**
 * Whether PortOne confirmed the member, and how its record compares with what the app sent; a
 * member nobody confirmed is marked as such, with the keys the app sent. Keys stay masked until
 * a staff member reveals them (an audited post).
 */
export function IdentitySection ({ frame, uuid, input }: { frame: Frame, uuid: string, input: IdentityInput }) {
  const i = IDENTITY_TEXTS[frame.language]
  const { confirmation, rows } = input
  const differing = rows.filter(row => row.differs).length
  return (
    <section class='card identity' id='identity' aria-labelledby='identity-title'>
      <h2 id='identity-title'>{i.title}</h2>
      {confirmation === null
        ? (
            <>
              <p class='identity-mark unconfirmed' id='identity-mark'>
                <span aria-hidden='true'>? </span>
                {i.unconfirmedMark}
              </p>
              <p class='muted'>{i.unconfirmedHelp}</p>
              {input.hasKeys
                ? (
                    <dl class='identity-fields'>
                      {rows.map(row => (
                        <Fragment key={row.field}>
                          <dt>{i.fields[row.field]}</dt>
                          <dd>
                            <Value frame={frame} row={row} value={row.claimed} />
                          </dd>
                        </Fragment>
                      ))}
                    </dl>
                  )
                : <p class='muted'>{i.noKeys}</p>}
            </>
          )
        : (
            <>
              <p class='identity-mark confirmed' id='identity-mark'>
                <span aria-hidden='true'>✔ </span>
                {i.confirmedMark}
              </p>
              <dl class='identity-fields'>
                <dt>{i.confirmedAt}</dt>
                <dd>{when(frame, confirmation.confirmedAt)}</dd>
                <dt>{i.verifiedAt}</dt>
                <dd>{when(frame, confirmation.verifiedAt)}</dd>
              </dl>
              {differing > 0 && (
                <p class='flag' role='note' id='identity-differs'>
                  {i.differsSummary(differing)}
                </p>
              )}
              <div class='table-wrap'>
                <table class='identity'>
                  <caption class='visually-hidden'>{i.tableCaption}</caption>
                  <thead>
                    <tr>
                      <th scope='col'>{i.field}</th>
                      <th scope='col'>{i.claimed}</th>
                      <th scope='col'>{i.confirmed}</th>
                      <th scope='col'>{i.comparison}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(row => (
                      <tr key={row.field} class={row.differs ? 'differs' : undefined} data-field={row.field}>
                        <th scope='row'>{i.fields[row.field]}</th>
                        <td>
                          <Value frame={frame} row={row} value={row.claimed} />
                        </td>
                        <td>
                          <Value frame={frame} row={row} value={row.confirmed} />
                        </td>
                        <td>
                          <Comparison frame={frame} row={row} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
      {input.hasKeys && !input.revealed && <RevealForm frame={frame} uuid={uuid} />}
    </section>
  )
}
