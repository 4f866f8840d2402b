import type { CatalogItem } from '../../../../application/ports/records/catalog-repository.js'
import type { StaffMember } from '../../../../domain/staff.js'
import { toShortUuid } from '../../../../domain/short-uuid.js'
import { FORM_LIMITS } from '../console-schemas.js'
import { Csrf, renderPage, when, type Frame } from './layout.js'

export function staffPage (
  frame: Frame,
  input: { staff: StaffMember[], selfId: string },
  notice: string | null = null,
  error: string | null = null
): string {
  const { t } = frame
  const Action = ({
    member,
    verb,
    label,
    danger
  }: {
    member: StaffMember
    verb: string
    label: string
    danger?: boolean
  }) => (
    <form method='post' action={`/console/staff/${member.id}/${verb}`} class='inline'>
      <Csrf token={frame.csrf} />
      <button type='submit' class={danger === true ? 'danger' : 'secondary'}>
        {label}
      </button>
    </form>
  )
  return renderPage(
    frame,
    t.staffTitle,
    <div class='table-wrap'>
      <table>
        <thead>
          <tr>
            <th scope='col'>{t.email}</th>
            <th scope='col'>{t.role}</th>
            <th scope='col'>{t.enrolled}</th>
            <th scope='col'>{t.state}</th>
            <th scope='col'>{t.signedUpAt}</th>
            <th scope='col'>
              <span class='visually-hidden'>{t.details}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {input.staff.map(member => (
            <tr key={member.id}>
              <td>
                {member.email} {member.id === input.selfId && <span class='muted'>{t.you}</span>}
              </td>
              <td>{t.roles[member.role]}</td>
              <td>{member.totpEnrolled ? t.yes : t.no}</td>
              <td>
                {member.disabled ? t.disabled : t.active}
                {member.mustChangePassword && <span class='muted'> · {t.mustChangePassword}</span>}
              </td>
              <td>{when(frame, member.createdAt)}</td>
              <td>
                {member.id !== input.selfId && (
                  <>
                    {member.disabled
                      ? (
                          <Action member={member} verb='enable' label={t.enable} />
                        )
                      : (
                          <Action member={member} verb='disable' label={t.disable} danger />
                        )}
                    <Action member={member} verb='reset-second-factor' label={t.resetSecondFactor} />
                    <Action member={member} verb='reset-password' label={t.resetPassword} />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>,
    { notice, error }
  )
}

/**
 * An admin's reset, answered once: the one-time password is in this response alone (the console's
 * `Cache-Control: no-store` keeps it out of every cache and the back button's copy), never in a URL.
 */
export function oneTimePasswordPage (frame: Frame, input: { email: string, oneTimePassword: string }): string {
  const { t } = frame
  return renderPage(
    frame,
    t.oneTimePasswordTitle,
    <section class='card'>
      <p>{t.oneTimePasswordHelp(input.email)}</p>
      <p>
        {t.oneTimePassword}: <code>{input.oneTimePassword}</code>
      </p>
      <p>
        <a href='/console/staff'>{t.backToStaff}</a>
      </p>
    </section>
  )
}

export type CatalogKindPath = 'interests' | 'professions'

export function catalogsPage (
  frame: Frame,
  input: { interests: CatalogItem[], professions: CatalogItem[] },
  notice: string | null = null,
  error: string | null = null
): string {
  const { t } = frame
  const Section = ({ kind, title, items }: { kind: CatalogKindPath, title: string, items: CatalogItem[] }) => (
    <section class='card'>
      <h2>{title}</h2>
      <div class='catalog-items'>
        {items.map(item => {
          const field = `${kind}-${toShortUuid(item.id)}`
          return (
            <form key={item.id} method='post' action={`/console/catalogs/${kind}/${toShortUuid(item.id)}`}>
              <Csrf token={frame.csrf} />
              <div>
                <label for={`${field}-name`}>{t.name}</label>
                <input
                  id={`${field}-name`}
                  name='name'
                  value={item.name}
                  required
                  maxLength={FORM_LIMITS.catalogName}
                />
              </div>
              <div>
                <label for={`${field}-emoji`}>{t.emoji}</label>
                <input
                  id={`${field}-emoji`}
                  name='emoji'
                  value={item.emoji}
                  required
                  maxLength={FORM_LIMITS.catalogEmoji}
                />
              </div>
              {kind === 'interests' && (
                <div>
                  <label for={`${field}-image`}>{t.imageKey}</label>
                  <input
                    id={`${field}-image`}
                    name='image'
                    value={item.imageKey ?? ''}
                    maxLength={FORM_LIMITS.catalogImage}
                  />
                </div>
              )}
              <button type='submit' class='secondary'>
                {t.save}
              </button>
            </form>
          )
        })}
      </div>
      <form method='post' action={`/console/catalogs/${kind}`} class='stack'>
        <Csrf token={frame.csrf} />
        <div>
          <label for={`${kind}-new-name`}>{t.name}</label>
          <input id={`${kind}-new-name`} name='name' required maxLength={FORM_LIMITS.catalogName} />
        </div>
        <div>
          <label for={`${kind}-new-emoji`}>{t.emoji}</label>
          <input id={`${kind}-new-emoji`} name='emoji' required maxLength={FORM_LIMITS.catalogEmoji} />
        </div>
        {kind === 'interests' && (
          <div>
            <label for={`${kind}-new-image`}>{t.imageKey}</label>
            <input id={`${kind}-new-image`} name='image' maxLength={FORM_LIMITS.catalogImage} />
          </div>
        )}
        <button type='submit'>{t.add}</button>
      </form>
    </section>
  )
  return renderPage(
    frame,
    t.catalogsTitle,
    <>
      <Section kind='interests' title={t.interestsTitle} items={input.interests} />
      <Section kind='professions' title={t.professionsTitle} items={input.professions} />
    </>,
    { notice, error }
  )
}
