import type { MemberSession } from '../../../../application/ports/shared-state/session-registry.js'
import { FORM_LIMITS } from '../console-schemas.js'
import { Csrf, renderPage, when, type Frame } from './layout.js'
import { SUPPORT_TEXTS, type SupportTexts } from './support-texts.js'

/** A number as people type it, with room for spaces and a country code; the route's schema reads it too. */
export const MOBILE_FIELD_LIMIT = 40

export interface SupportPageInput {
  uuid: string
  title: string
  mobile: string | null
  sessions: MemberSession[]
  /** What the number form was sent with, when it comes back with an error. */
  typed?: { mobile: string, reason: string }
}

/** The notice or error of a support page, by key, in the reader's language. */
export type SupportNotice = 'mobileChanged' | 'mobileChangedUntold' | 'signedOut'
export type SupportError = keyof SupportTexts['errors']

/**
 * An admin's page for one member's account: their signed-in devices with "sign out everywhere",
 * and the number change after an ID check. Apart from the review page, so its irreversible
 * actions never sit beside a decision.
 */
export function supportPage (
  frame: Frame,
  input: SupportPageInput,
  message: { notice?: SupportNotice, error?: SupportError } = {}
): string {
  const s = SUPPORT_TEXTS[frame.language]
  const action = (verb: string) => `/console/members/${input.uuid}/${verb}`
  return renderPage(
    frame,
    `${s.title} · ${input.title}`,
    <>
      <p>
        <a href={`/console/members/${input.uuid}`}>{s.back}</a>
      </p>
      <section class='card' aria-labelledby='sessions-title'>
        <h2 id='sessions-title'>{s.sessions}</h2>
        {input.sessions.length === 0
          ? (
              <p class='muted'>{s.noSessions}</p>
            )
          : (
              <div class='table-wrap'>
                <table class='sessions'>
                  <thead>
                    <tr>
                      <th scope='col'>{s.device}</th>
                      <th scope='col'>{s.address}</th>
                      <th scope='col'>{s.signedInAt}</th>
                      <th scope='col'>{s.lastUsedAt}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {input.sessions.map(session => (
                      <tr key={session.id}>
                        <td class='wrap'>{session.device ?? s.unknownDevice}</td>
                        <td>{session.ip ?? '—'}</td>
                        <td>{when(frame, session.createdAt)}</td>
                        <td>{when(frame, session.lastUsedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
        <form method='post' action={action('sign-out-everywhere')} class='stack'>
          <Csrf token={frame.csrf} />
          <p class='muted'>{s.signOutHelp}</p>
          <button type='submit' class='danger'>
            {s.signOutEverywhere}
          </button>
        </form>
      </section>
      <section class='card' aria-labelledby='mobile-title'>
        <h2 id='mobile-title'>{s.changeMobile}</h2>
        <p class='muted'>{s.changeMobileHelp}</p>
        <dl class='fields'>
          <dt>{s.currentMobile}</dt>
          <dd>{input.mobile ?? '—'}</dd>
        </dl>
        <form method='post' action={action('mobile')} class='stack'>
          <Csrf token={frame.csrf} />
          <div>
            <label for='mobile'>{s.newMobile}</label>
            <input
              id='mobile'
              name='mobile'
              type='tel'
              autocomplete='off'
              required
              maxLength={MOBILE_FIELD_LIMIT}
              value={input.typed?.mobile ?? ''}
              aria-describedby='mobile-help'
            />
            <small id='mobile-help' class='muted'>
              {s.newMobileHelp}
            </small>
          </div>
          <div>
            <label for='reason'>{s.reason}</label>
            <textarea id='reason' name='reason' required maxLength={FORM_LIMITS.rejectionReason} rows={3}>
              {input.typed?.reason ?? ''}
            </textarea>
          </div>
          <button type='submit' class='danger'>
            {s.submitChange}
          </button>
        </form>
      </section>
    </>,
    {
      notice: message.notice === undefined ? null : s[message.notice],
      error: message.error === undefined ? null : s.errors[message.error]
    }
  )
}

/** The member page's way to the support page (admins only). */
export const SupportLink = ({ frame, uuid }: { frame: Frame, uuid: string }) =>
  frame.staff?.role === 'admin'
    ? (
        <p>
          <a href={`/console/members/${uuid}/support`}>{SUPPORT_TEXTS[frame.language].open}</a>
        </p>
      )
    : null
