import type { AuditEntry } from '../../../../application/ports/records/audit-log.js'
import type { UserStatus } from '../../../../domain/user.js'
import { FORM_LIMITS } from '../console-schemas.js'
import { DECISION_TEXTS } from './decision-texts.js'
import { Csrf, renderPage, when, type Frame } from './layout.js'

/** The member page's deciding parts: what the decision forms need besides the member's record. */
export interface DecidingInput {
  uuid: string
  status: UserStatus
  /** The member's review state as the page saw it (decisionVersion): every decision form carries it. */
  version: string
  /** An admin, a decided member, files left. */
  canPurge: boolean
  /** Minutes left to undo the member's last decision, when this staff member may undo it. */
  undoMinutes?: number | null
  /** Preset rejection reasons in the reader's language. */
  reasons?: Array<{ id: string, text: string }>
  /** Other staff who opened the member's page in the last few minutes, newest first. */
  others?: Array<{ email: string, at: Date }>
  /** Staff's internal note on the member (never shown to the member), or null when none is written. */
  note?: { text: string, by: string, at: Date } | null
  /** Shown after a decision: the oldest other pending member (null: none left). */
  nextPending?: { uuid: string, label: string } | null
}

/** The field every decision form carries: the state it was made on. */
const Version = ({ version }: { version: string }) => <input type='hidden' name='version' value={version} />

/** Who else is on this member: said before anyone decides, so two reviewers see each other. */
export function PresenceNote ({ frame, others }: { frame: Frame, others: DecidingInput['others'] }) {
  const d = DECISION_TEXTS[frame.language]
  if (others === undefined || others.length === 0) return null
  return (
    <div class='flag presence' role='note' id='others-here'>
      <strong>{d.othersHere}</strong>
      <ul>
        {others.map(other => (
          <li key={other.email}>
            {other.email} · {d.openedAt(when(frame, other.at))}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** A link to the next pending member, with the attribute keyboard shortcuts look for. */
export function NextPending ({ frame, next }: { frame: Frame, next: DecidingInput['nextPending'] }) {
  const d = DECISION_TEXTS[frame.language]
  if (next === undefined) return null
  return next === null
    ? <p class='muted' id='next-pending'>{d.noNextPending}</p>
    : (
        <p id='next-pending'>
          <a class='button' href={`/console/members/${next.uuid}`} data-shortcut='next'>
            {d.nextPending}: {next.label}
          </a>
        </p>
      )
}

/**
 * The decisions, then, apart in a section of their own with a warning's look, what cannot be undone
 * (deleting the verification files): re-approval and undo never sit beside it.
 */
export function DecidingSections ({ frame, input }: { frame: Frame, input: DecidingInput }) {
  const { t } = frame
  const d = DECISION_TEXTS[frame.language]
  const action = (verb: string) => `/console/members/${input.uuid}/${verb}`
  const reasons = input.reasons ?? []
  return (
    <>
      <section class='card deciding' aria-labelledby='deciding-title'>
        <h2 id='deciding-title'>{d.decide}</h2>
        <NextPending frame={frame} next={input.nextPending} />
        <div class='actions'>
          {input.status === 'pending' && (
            <form method='post' action={action('approve')}>
              <Csrf token={frame.csrf} />
              <Version version={input.version} />
              <button type='submit' data-shortcut='approve'>{t.approve}</button>
            </form>
          )}
          {input.status === 'rejected' && (
            <form method='post' action={action('reapprove')} class='stack'>
              <Csrf token={frame.csrf} />
              <Version version={input.version} />
              <p class='muted'>{d.reapproveHelp}</p>
              <button type='submit'>{t.reapprove}</button>
            </form>
          )}
          {input.status === 'pending' && (
            <form method='post' action={action('reject')} class='stack'>
              <Csrf token={frame.csrf} />
              <Version version={input.version} />
              {reasons.length > 0 && (
                <div>
                  <label for='preset'>{d.presetReason}</label>
                  <select id='preset' name='preset'>
                    <option value=''>{d.presetNone}</option>
                    {reasons.map(reason => (
                      <option key={reason.id} value={reason.id}>{reason.text}</option>
                    ))}
                  </select>
                </div>
              )}
              <div>
                <label for='reason'>{reasons.length > 0 ? d.freeReason : t.reason}</label>
                <textarea
                  id='reason'
                  name='reason'
                  required={reasons.length === 0}
                  maxLength={FORM_LIMITS.rejectionReason}
                  rows={3}
                />
              </div>
              <button type='submit' class='danger' data-shortcut='reject'>
                {t.reject}
              </button>
            </form>
          )}
          {input.undoMinutes != null && (
            <form method='post' action={action('undo')} class='stack'>
              <Csrf token={frame.csrf} />
              <Version version={input.version} />
              <p class='muted'>{d.undoHelp(input.undoMinutes)}</p>
              <button type='submit' class='secondary'>{d.undo}</button>
            </form>
          )}
        </div>
      </section>
      {input.note !== undefined && <NoteSection frame={frame} uuid={input.uuid} note={input.note} />}
      {input.canPurge && (
        <section class='card irreversible' aria-labelledby='irreversible-title'>
          <h2 id='irreversible-title'>{d.irreversible}</h2>
          <form method='post' action={action('purge-files')} class='stack'>
            <Csrf token={frame.csrf} />
            <p>{t.purgeHelp}</p>
            <button type='submit' class='danger'>
              {t.purgeFiles}
            </button>
          </form>
        </section>
      )}
    </>
  )
}

/** The internal note: staff only, with who wrote it last and when; saving replaces it (the trail keeps each). */
function NoteSection ({ frame, uuid, note }: { frame: Frame, uuid: string, note: DecidingInput['note'] }) {
  const d = DECISION_TEXTS[frame.language]
  return (
    <section class='card note' aria-labelledby='note-title'>
      <h2 id='note-title'>{d.note}</h2>
      <p class='muted' id='note-help'>
        {d.noteHelp}{' '}
        {note == null ? d.noNote : d.noteBy(note.by, when(frame, note.at))}
      </p>
      <form method='post' action={`/console/members/${uuid}/note`} class='stack'>
        <Csrf token={frame.csrf} />
        <div>
          <label for='note'>{d.note}</label>
          <textarea id='note' name='note' maxLength={FORM_LIMITS.note} rows={3} aria-describedby='note-help'>
            {note?.text ?? ''}
          </textarea>
        </div>
        <button type='submit' class='secondary'>{d.saveNote}</button>
      </form>
    </section>
  )
}

/** Who an entry's actor is, as a staff member reads it. */
export function actorName (frame: Frame, entry: AuditEntry): string {
  const d = DECISION_TEXTS[frame.language]
  switch (entry.actor.kind) {
    case 'staff': return entry.actor.email
    case 'api-key': return d.adminApi
    default: return d.system
  }
}

/**
 * A decision refused because the member changed since the page it came from (409): what happened,
 * by whom and when, from the trail, and the way back to the member as they are now.
 */
export function staleDecisionPage (frame: Frame, input: { uuid: string, last: AuditEntry | null }): string {
  const d = DECISION_TEXTS[frame.language]
  const { last } = input
  return renderPage(
    frame,
    d.staleTitle,
    <section class='card' id='stale-decision'>
      <p>{d.staleBody}</p>
      <p>
        <strong>
          {last === null
            ? d.staleUnknown
            : d.staleWhat(d.actions[last.action] ?? last.action, actorName(frame, last), when(frame, last.at))}
        </strong>
      </p>
      {last?.reason != null && (
        <p>
          {frame.t.rejectionReason}: {last.reason}
        </p>
      )}
      <p>
        <a class='button' href={`/console/members/${input.uuid}`}>{d.openAgain}</a>
      </p>
    </section>
  )
}
