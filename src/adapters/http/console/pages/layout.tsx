import type { ComponentChildren } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { Language } from '../../../../domain/language.js'
import type { StaffRole } from '../../../../domain/staff.js'
import { CONSOLE_CSS_HREF } from './assets.js'
import { CSRF_FIELD } from '../csrf.js'
import type { ConsoleTexts } from './console-texts.js'

/** What every page knows: the language's texts, and who is signed in (null on the sign-in pages). */
export interface Frame {
  t: ConsoleTexts
  language: Language
  /** `mustChangePassword`: signed in with a one-time password, so the menu offers nothing but sign-out. */
  staff: { email: string, role: StaffRole, mustChangePassword: boolean } | null
  csrf: string | null
}

/** The hidden field that carries the session's CSRF token in every form. */
export const Csrf = ({ token }: { token: string | null }) =>
  token === null ? null : <input type='hidden' name={CSRF_FIELD} value={token} />

/** A whole page as HTML. preact escapes every text and attribute; the console never injects markup. */
export function renderPage (
  frame: Frame,
  title: string,
  body: ComponentChildren,
  options: { notice?: string | null, error?: string | null } = {}
): string {
  const { t, staff } = frame
  return (
    '<!doctype html>' +
    renderToString(
      <html lang={frame.language}>
        <head>
          <meta charset='utf-8' />
          <meta name='viewport' content='width=device-width, initial-scale=1' />
          <title>{`${title} · ${t.product}`}</title>
          <link rel='stylesheet' href={CONSOLE_CSS_HREF} />
        </head>
        <body>
          <header class='top'>
            <strong>{t.product}</strong>
            {staff !== null && !staff.mustChangePassword && (
              <nav aria-label={t.product}>
                <a href='/console/queue'>{t.queue}</a>
                <a href='/console/audit'>{t.audit}</a>
                {staff.role === 'admin' && <a href='/console/staff'>{t.staff}</a>}
                {staff.role === 'admin' && <a href='/console/catalogs'>{t.catalogs}</a>}
                <a href='/console/password'>{t.passwordTitle}</a>
              </nav>
            )}
            {staff !== null && (
              <form method='post' action='/console/sign-out'>
                <Csrf token={frame.csrf} />
                <span class='muted'>
                  {staff.email} · {t.roles[staff.role]}{' '}
                </span>
                <button type='submit' class='secondary'>
                  {t.signOut}
                </button>
              </form>
            )}
          </header>
          <main>
            <h1>{title}</h1>
            {options.error != null && (
              <p class='alert error' role='alert'>
                {options.error}
              </p>
            )}
            {options.notice != null && (
              <p class='alert notice' role='status'>
                {options.notice}
              </p>
            )}
            {body}
          </main>
        </body>
      </html>
    )
  )
}

/** A moment as the reviewers in Korea read it. */
export function when (frame: Frame, at: Date): string {
  const format = new Intl.DateTimeFormat(frame.language === 'ko' ? 'ko-KR' : 'en-GB', {
    timeZone: 'Asia/Seoul',
    dateStyle: 'medium',
    timeStyle: 'short'
  })
  return `${format.format(at)} KST`
}
