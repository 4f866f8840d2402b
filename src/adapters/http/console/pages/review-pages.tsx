import { Fragment } from 'preact'
import type { AuditEntry } from '../../../../application/ports/records/audit-log.js'
import { SupportLink } from './support-pages.js'
import type { UserStatus } from '../../../../domain/user.js'
import { renderPage, when, type Frame } from './layout.js'
import { AuditTable } from './audit-pages.js'
import { DecidingSections, PresenceNote, type DecidingInput } from './decision-pages.js'
import { FileThumbnails, isIdFile, memberFiles, MemberUuid } from './file-viewer.js'
import { IdentitySection, type IdentityInput } from './identity-pages.js'
import { IDENTITY_TEXTS } from './identity-texts.js'
import { SignInsSection, type SignInsInput } from './sign-ins-pages.js'

const StatusBadge = ({ frame, status }: { frame: Frame, status: UserStatus }) => (
  <span class={`badge ${status}`}>{frame.t[status]}</span>
)

export interface MemberPageInput {
  uuid: string
  status: UserStatus
  email: string | null
  mobile: string | null
  createdAt: Date
  decidedAt: Date | null
  rejectionReason: string | null
  profile: null | {
    username: string
    name: string
    birth: string
    age: number | null
    gender: string
    carrier: string | null
    foreigner: boolean
    interests: string[]
    profession: string | null
    avatarUrl: string | null
    profileUrl: string | null
  }
  files: Array<{ displayOrder: number, url: string }>
  /** The person's other accounts; `confirmed`: PortOne confirmed that account's key (else the app only claimed it). */
  duplicates: Array<{ uuid: string, username: string | null, status: UserStatus, confirmed: boolean }>
  /** Whether PortOne confirmed the member, the fields compared, the keys (masked unless revealed). */
  identity: IdentityInput
  /** The number's code, the password, identities at Kakao, Apple and Google, passkeys. */
  signIns: SignInsInput
  history: AuditEntry[]
  /** The decision forms (with the member's version) and the irreversible actions, apart. */
  deciding: DecidingInput
}

export function memberPage (
  frame: Frame,
  input: MemberPageInput,
  notice: string | null = null,
  error: string | null = null
): string {
  const { t } = frame
  const i = IDENTITY_TEXTS[frame.language]
  const profile = input.profile
  const title = profile?.username ?? input.email ?? input.uuid
  const shownFiles = memberFiles(frame, input.uuid, {
    verification: input.files.map(file => file.displayOrder),
    avatarUrl: profile?.avatarUrl ?? null,
    profileUrl: profile?.profileUrl ?? null
  })
  const Row = ({ label, value }: { label: string, value: string | null }) => (
    <>
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </>
  )
  return renderPage(
    frame,
    title,
    <>
      <PresenceNote frame={frame} others={input.deciding.others} />
      {input.duplicates.length > 0 && (
        <div class='flag' role='note'>
          {t.duplicateFlag}{' '}
          {input.duplicates.map((other, index) => (
            <Fragment key={other.uuid}>
              {index > 0 && ', '}
              <a href={`/console/members/${other.uuid}`}>{other.username ?? other.uuid}</a> (
              <StatusBadge frame={frame} status={other.status} />,{' '}
              <span class={`key-state ${other.confirmed ? 'confirmed' : 'claimed'}`}>
                {other.confirmed ? i.duplicateConfirmed : i.duplicateClaimed}
              </span>
              )
            </Fragment>
          ))}
        </div>
      )}
      <section class='card'>
        <p>
          <StatusBadge frame={frame} status={input.status} />
        </p>
        <MemberUuid frame={frame} uuid={input.uuid} />
        <dl class='fields'>
          <Row label={t.signedUpAt} value={when(frame, input.createdAt)} />
          <Row label={t.decidedAt} value={input.decidedAt === null ? null : when(frame, input.decidedAt)} />
          {input.rejectionReason !== null && <Row label={t.rejectionReason} value={input.rejectionReason} />}
          <Row label={t.mobile} value={input.mobile} />
          <Row label={t.email} value={input.email} />
          {profile !== null && (
            <>
              <Row label={t.username} value={profile.username} />
              <Row label={t.name} value={profile.name} />
              <Row label={t.birth} value={profile.birth} />
              <Row label={t.age} value={profile.age === null ? null : String(profile.age)} />
              <Row label={t.gender} value={t.genders[profile.gender] ?? profile.gender} />
              <Row label={t.carrier} value={profile.carrier} />
              <Row label={t.foreigner} value={profile.foreigner ? t.yes : t.no} />
              <Row label={t.interests} value={profile.interests.join(', ')} />
              <Row label={t.profession} value={profile.profession} />
            </>
          )}
        </dl>
        {profile !== null && <FileThumbnails frame={frame} files={shownFiles.filter(file => !isIdFile(file))} />}
      </section>
      <IdentitySection frame={frame} uuid={input.uuid} input={input.identity} />
      <SignInsSection frame={frame} input={input.signIns} />
      <section class='card'>
        <h2>{t.verificationFiles}</h2>
        {input.files.length === 0
          ? (
              <p class='muted'>{t.noFiles}</p>
            )
          : (
              <FileThumbnails frame={frame} files={shownFiles.filter(isIdFile)} />
            )}
      </section>
      <DecidingSections frame={frame} input={input.deciding} />
      <section class='card'>
        <h2>{t.history}</h2>
        {input.history.length === 0
          ? (
              <p class='muted'>{t.noHistory}</p>
            )
          : (
              <AuditTable
                frame={frame}
                entries={input.history}
                // Every entry here is about this member: named by the username the page shows.
                names={
                  profile === null
                    ? {}
                    : { usernames: new Map(input.history.map(entry => [entry.memberId ?? '', profile.username])) }
                }
              />
            )}
      </section>
      <SupportLink frame={frame} uuid={input.uuid} />
    </>,
    { notice, error }
  )
}
