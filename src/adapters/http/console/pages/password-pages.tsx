import { MIN_PASSWORD_LENGTH } from '../../../../domain/password.js'
import { PasswordField, TotpCodeField } from './form-fields.js'
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
      <PasswordField id='current' label={t.currentPassword} />
      <PasswordField id='next' label={t.newPassword} fresh />
      <PasswordField id='repeat' label={t.repeatPassword} fresh />
      <TotpCodeField label={t.code} />
      <button type='submit'>{t.changePassword}</button>
    </form>,
    { notice: input.notice ?? (mustChange ? t.mustChangeNotice : null), error: input.error ?? null }
  )
}
