import { Csrf, renderPage, type Frame } from './layout.js'
import { QUEUE_TEXTS } from './queue-texts.js'

export interface BulkMemberView {
  uuid: string
  username: string
  name: string | null
  /** The review state the queue page showed, carried to the final post. */
  version: string
}

/** Who is about to be approved, by username, before anything happens; the final form carries each version. */
export function bulkConfirmPage (frame: Frame, input: { members: BulkMemberView[], back: string }): string {
  const q = QUEUE_TEXTS[frame.language]
  const count = input.members.length
  return renderPage(
    frame,
    q.confirmTitle(count),
    <section class='card bulk-confirm'>
      <p>{q.confirmHelp}</p>
      <ol class='bulk-members'>
        {input.members.map(member => (
          <li key={member.uuid}>
            <a href={`/console/members/${member.uuid}`}>{member.username}</a>
            {member.name !== null && <span class='muted'> · {member.name}</span>}
          </li>
        ))}
      </ol>
      <form method='post' action='/console/queue/approve/confirm' class='actions'>
        <Csrf token={frame.csrf} />
        <input type='hidden' name='back' value={input.back} />
        {input.members.map(member => (
          <input key={member.uuid} type='hidden' name='m' value={`${member.uuid}:${member.version}`} />
        ))}
        <button type='submit'>{q.confirmApprove(count)}</button>
        <a class='button secondary' href={input.back}>
          {q.cancel}
        </a>
      </form>
    </section>
  )
}

export interface BulkOutcomeView {
  approved: Array<{ uuid: string, username: string }>
  skipped: Array<{ uuid: string, username: string, why: string }>
  back: string
}

/** How many were approved, and each member skipped with the reason (who decided them first, when). */
export function bulkResultPage (frame: Frame, input: BulkOutcomeView): string {
  const q = QUEUE_TEXTS[frame.language]
  return renderPage(
    frame,
    q.bulkDoneTitle,
    <section class='card bulk-result'>
      <p role='status' class='alert notice' id='bulk-approved'>
        {q.bulkApproved(input.approved.length)}
      </p>
      {input.approved.length > 0 && (
        <ul class='bulk-approved'>
          {input.approved.map(member => (
            <li key={member.uuid}>
              <a href={`/console/members/${member.uuid}`}>{member.username}</a>
            </li>
          ))}
        </ul>
      )}
      {input.skipped.length > 0 && (
        <>
          <p id='bulk-skipped'>{q.bulkSkipped(input.skipped.length)}</p>
          <ul class='bulk-skipped'>
            {input.skipped.map(member => (
              <li key={member.uuid}>
                <a href={`/console/members/${member.uuid}`}>{member.username}</a>: {member.why}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <a href={input.back}>{q.backToQueue}</a>
      </p>
    </section>
  )
}
