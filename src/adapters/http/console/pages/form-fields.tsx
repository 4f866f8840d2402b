import { MIN_PASSWORD_LENGTH } from '../../../../domain/password.js'
import { FORM_LIMITS } from '../console-schemas.js'

/**
 * The labelled inputs more than one console form asks for, with the limits the route schemas
 * take (FORM_LIMITS), so a page and its route cannot disagree.
 */

/** A password field; `fresh` for a new password (the browser may suggest one, minimum length shown). */
export function PasswordField (
  { id, label, fresh = false }: { id: string, label: string, fresh?: boolean }
) {
  return (
    <div>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        type='password'
        autocomplete={fresh ? 'new-password' : 'current-password'}
        required
        minLength={fresh ? MIN_PASSWORD_LENGTH : undefined}
        maxLength={FORM_LIMITS.password}
      />
    </div>
  )
}

/** The six digits of an authenticator app (a space in the middle allowed, as apps show them). */
export function TotpCodeField ({ label }: { label: string }) {
  return (
    <div>
      <label for='code'>{label}</label>
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
  )
}
