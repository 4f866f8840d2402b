import { MIN_PASSWORD_LENGTH } from '../../../../domain/password.js'
import { FORM_LIMITS } from '../console-schemas.js'
import { Csrf, renderPage, type Frame } from './layout.js'

/**
 * The signed-in staff member's own password: the current one, the new one twice, and a TOTP code.
 * Nothing typed is written back into the page, so a refused form shows empty fields.
 */
export function passwordPage (frame: Frame, input: { notice?: string | null, error?: string | null } = {}): string {
  const { t } = frame
  const mustChange = frame.staff?.mustChangePassword === true
  return renderPage(
    frame,
    t.passwordTitle,
    <form method='post' action='/console/password' class='stack card'>
      <Csrf token={frame.csrf} />
      <p>{t.passwordHelp(MIN_PASSWORD_LENGTH)}</p>
      <div>
        <label for='current'>{t.currentPassword}</label>
        <input
          id='current'
          name='current'
          type='password'
          autocomplete='current-password'
          required
          maxLength={FORM_LIMITS.password}
        />
      </div>
      <div>
        <label for='next'>{t.newPassword}</label>
        <input
          id='next'
          name='next'
          type='password'
          autocomplete='new-password'
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={FORM_LIMITS.password}
        />
      </div>
      <div>
        <label for='repeat'>{t.repeatPassword}</label>
        <input
          id='repeat'
          name='repeat'
          type='password'
          autocomplete='new-password'
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={FORM_LIMITS.password}
        />
      </div>
      <div>
        <label for='code'>{t.code}</label>
        <input
          id='code'
          name='code'
          inputmode='numeric'
          autocomplete='one-time-code'
          pattern='[0-9 ]{6,7}'
          maxLength={FORM_LIMITS.totpCode}
          required
        />
      </div>
      <button type='submit'>{t.changePassword}</button>
    </form>,
    { notice: input.notice ?? (mustChange ? t.mustChangeNotice : null), error: input.error ?? null }
  )
}
