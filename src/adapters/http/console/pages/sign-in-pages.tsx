import type { Enrolment } from '../../../../application/staff/staff-sign-in.js'
import { PRE_SESSION_FIELD } from '../pre-session.js'
import { TotpCodeField } from './form-fields.js'
import { renderPage, Csrf, type Frame } from './layout.js'

export function signInPage (frame: Frame, input: { preToken: string, email?: string, error?: string | null }): string {
  const { t } = frame
  return renderPage(frame, t.signInTitle, (
    <form method='post' action='/console/sign-in' class='stack card'>
      <input type='hidden' name={PRE_SESSION_FIELD} value={input.preToken} />
      <div>
        <label for='email'>{t.email}</label>
        <input id='email' name='email' type='email' autocomplete='username' required value={input.email ?? ''} />
      </div>
      <div>
        <label for='password'>{t.password}</label>
        <input id='password' name='password' type='password' autocomplete='current-password' required />
      </div>
      <button type='submit'>{t.signIn}</button>
    </form>
  ), { error: input.error ?? null })
}

/** With `enrolment`, the first sign-in: the QR (an SVG image, drawn on the server) and the key. */
export function secondFactorPage (
  frame: Frame,
  input: { enrolment: (Enrolment & { qrDataUrl: string }) | null, error?: string | null }
): string {
  const { t } = frame
  return renderPage(
    frame,
    t.secondFactorTitle,
    <>
      {input.enrolment !== null && (
        <section class='card'>
          <h2>{t.enrolTitle}</h2>
          <p>{t.enrolHelp}</p>
          <img class='qr' src={input.enrolment.qrDataUrl} alt={t.qrAlt} width={220} height={220} />
          <p>
            {t.enrolKey}: <code>{input.enrolment.secret}</code>
          </p>
        </section>
      )}
      <form method='post' action='/console/second-factor' class='stack card'>
        <Csrf token={frame.csrf} />
        <p>{t.secondFactorHelp}</p>
        <TotpCodeField label={t.code} />
        <button type='submit'>{t.verify}</button>
      </form>
    </>,
    { error: input.error ?? null }
  )
}

/** A refusal or an ended session, as a page (the console speaks HTML, not the doors' JSON). */
export function messagePage (
  frame: Frame,
  title: string,
  message: string,
  link: { href: string, label: string } | null
): string {
  return renderPage(
    frame,
    title,
    link === null
      ? null
      : (
          <p>
            <a href={link.href}>{link.label}</a>
          </p>
        ),
    { error: message }
  )
}
