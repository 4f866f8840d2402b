import type { RejectionReason } from '../../../../application/ports/records/rejection-reasons.js'
import { toShortUuid } from '../../../../domain/short-uuid.js'
import { FORM_LIMITS } from '../console-schemas.js'
import { DECISION_TEXTS } from './decision-texts.js'
import { Csrf, renderPage, type Frame } from './layout.js'

/** The preset rejection reasons, for admins: edit each, retire or restore it, add one. */
export function reasonsPage (
  frame: Frame,
  reasons: RejectionReason[],
  notice: string | null = null,
  error: string | null = null
): string {
  const d = DECISION_TEXTS[frame.language]
  const Texts = ({ prefix, reason }: { prefix: string, reason: RejectionReason | null }) => (
    <>
      <div>
        <label for={`${prefix}-ko`}>{d.reasonKo}</label>
        <input id={`${prefix}-ko`} name='ko' required maxLength={FORM_LIMITS.presetReason} value={reason?.ko ?? ''} />
      </div>
      <div>
        <label for={`${prefix}-en`}>{d.reasonEn}</label>
        <input id={`${prefix}-en`} name='en' required maxLength={FORM_LIMITS.presetReason} value={reason?.en ?? ''} />
      </div>
    </>
  )
  return renderPage(
    frame,
    d.reasons,
    <>
      {reasons.length === 0
        ? <p class='muted'>{d.noReasons}</p>
        : (
            <div class='catalog-items'>
              {reasons.map(reason => {
                const id = toShortUuid(reason.id)
                const retired = reason.retiredAt !== null
                return (
                  <div key={reason.id} class='card reason'>
                    {retired && <p><span class='badge rejected'>{d.retired}</span></p>}
                    <form method='post' action={`/console/reasons/${id}`} class='stack'>
                      <Csrf token={frame.csrf} />
                      <Texts prefix={`reason-${id}`} reason={reason} />
                      <button type='submit'>{d.saveReason}</button>
                    </form>
                    <form method='post' action={`/console/reasons/${id}/${retired ? 'restore' : 'retire'}`}>
                      <Csrf token={frame.csrf} />
                      <button type='submit' class='secondary'>
                        {retired ? d.restoreReason : d.retireReason}
                      </button>
                    </form>
                  </div>
                )
              })}
            </div>
          )}
      <h2>{d.addReason}</h2>
      <form method='post' action='/console/reasons' class='stack card'>
        <Csrf token={frame.csrf} />
        <Texts prefix='reason-new' reason={null} />
        <button type='submit'>{d.addReason}</button>
      </form>
    </>,
    { notice, error }
  )
}
