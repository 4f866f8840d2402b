import type { ComponentChildren } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { Language } from '../../../../domain/language.js'
import type { StaffRole } from '../../../../domain/staff.js'
import { CONSOLE_CSS_HREF } from './assets.js'
import { CHROME_TEXTS } from './chrome-texts.js'
import { CONSOLE_SCRIPT_SRC } from './console-script.js'
import { CSRF_FIELD } from '../csrf.js'
import type { ConsoleTexts } from './console-texts.js'
import { DECISION_TEXTS } from './decision-texts.js'

/** What every page knows: the language's texts, and who is signed in (null on the sign-in pages). */
export interface Frame {
  t: ConsoleTexts
  language: Language
  /** The request's path and query: the navigation marks its page, the language switch comes back to it. */
  path?: string
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
  const c = CHROME_TEXTS[frame.language]
  const path = frame.path ?? ''
  const pathname = path.split('?')[0]
  // The page a menu entry leads to is marked for screen readers and by the stylesheet alike.
  const NavLink = ({ href, label }: { href: string, label: string }) => (
    <a href={href} aria-current={pathname === href ? 'page' : undefined}>
      {label}
    </a>
  )
  const other = frame.language === 'ko' ? 'en' : 'ko'
  const back = path.startsWith('/console') && path.length <= 500 ? path : '/console/queue'
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
          <a class='skip-link' href='#main'>
            {c.skipToContent}
          </a>
          <header class='top'>
            <strong>{t.product}</strong>
            {staff !== null && !staff.mustChangePassword && (
              <nav aria-label={t.product}>
                <NavLink href='/console/queue' label={t.queue} />
                <NavLink href='/console/audit' label={t.audit} />
                {staff.role === 'admin' && <NavLink href='/console/staff' label={t.staff} />}
                {staff.role === 'admin' && <NavLink href='/console/catalogs' label={t.catalogs} />}
                {staff.role === 'admin' && (
                  <NavLink href='/console/reasons' label={DECISION_TEXTS[frame.language].reasons} />
                )}
                <NavLink href='/console/password' label={t.passwordTitle} />
              </nav>
            )}
            <a
              class='language-switch'
              href={`/console/language?${new URLSearchParams({ to: other, back }).toString()}`}
              lang={other}
              hreflang={other}
            >
              {c.languageNames[other]}
            </a>
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
          <main id='main' tabindex={-1}>
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
          {staff !== null && (
            <footer class='bottom'>
              <details id='shortcuts' class='shortcuts'>
                <summary>{c.shortcuts}</summary>
                <dl>
                  {c.shortcutList.map(([key, action]) => (
                    <div key={key}>
                      <dt>
                        <kbd>{key}</kbd>
                      </dt>
                      <dd>{action}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            </footer>
          )}
          <script src={CONSOLE_SCRIPT_SRC} defer />
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
