import { Fragment } from 'preact'
import type { SignInProvider } from '../../../../domain/sign-in-provider.js'
import { when, type Frame } from './layout.js'
import { SIGN_INS_TEXTS, type SignInsTexts } from './sign-ins-texts.js'

/** A member's ways to sign in as the member page shows them; no passkey's public key ever reaches it. */
export interface SignInsInput {
  /** The member has a mobile number (shown above): a code by SMS signs in. */
  smsCode: boolean
  /** The member has an email with a password. */
  emailPassword: boolean
  identities: Array<{
    provider: SignInProvider
    email: string | null
    emailVerified: boolean
    name: string | null
    linkedAt: Date
    lastUsedAt: Date
  }>
  passkeys: Array<{
    /** The credential id, shortened: enough to tell two apart, nothing to sign in with. */
    shortId: string
    name: string | null
    deviceType: 'singleDevice' | 'multiDevice'
    backedUp: boolean
    createdAt: Date
    lastUsedAt: Date | null
  }>
}

type Row = [label: string, value: string]

const Fields = ({ rows }: { rows: Row[] }) => (
  <dl class='sign-in-fields'>
    {rows.map(([label, value]) => (
      <Fragment key={label}>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </Fragment>
    ))}
  </dl>
)

// Whether the provider proved the address decides whether the address alone may link an account.
const providerEmail = (s: SignInsTexts, identity: { email: string | null, emailVerified: boolean }): string =>
  identity.email === null
    ? '—'
    : `${identity.email} (${identity.emailVerified ? s.verifiedByProvider : s.notVerifiedByProvider})`

/** The number's code and the password first, then each identity and passkey with its dates. */
export function SignInsSection ({ frame, input }: { frame: Frame, input: SignInsInput }) {
  const s = SIGN_INS_TEXTS[frame.language]
  const basics = [input.smsCode && s.smsCode, input.emailPassword && s.emailPassword].filter(way => way !== false)
  return (
    <section class='card sign-ins' id='sign-ins' aria-labelledby='sign-ins-title'>
      <h2 id='sign-ins-title'>{s.title}</h2>
      <h3>{s.basics}</h3>
      {basics.length === 0
        ? <p class='muted'>{s.noBasics}</p>
        : (
            <ul class='sign-in-basics'>
              {basics.map(way => <li key={way}>{way}</li>)}
            </ul>
          )}
      <h3>{s.identities}</h3>
      {input.identities.length === 0
        ? <p class='muted' id='no-identities'>{s.noIdentities}</p>
        : (
            <ul class='sign-in-list'>
              {input.identities.map(identity => (
                <li key={`${identity.provider}-${identity.linkedAt.getTime()}`} data-provider={identity.provider}>
                  <strong>{s.providers[identity.provider]}</strong>
                  <Fields
                    rows={[
                      [s.providerEmail, providerEmail(s, identity)],
                      [s.name, identity.name ?? '—'],
                      [s.linkedAt, when(frame, identity.linkedAt)],
                      [s.lastUsedAt, when(frame, identity.lastUsedAt)]
                    ]}
                  />
                </li>
              ))}
            </ul>
          )}
      <h3>{s.passkeys}</h3>
      {input.passkeys.length === 0
        ? <p class='muted' id='no-passkeys'>{s.noPasskeys}</p>
        : (
            <ul class='sign-in-list'>
              {input.passkeys.map(passkey => (
                <li key={passkey.shortId} data-passkey={passkey.shortId}>
                  <strong>{passkey.name ?? s.unnamed}</strong>
                  <Fields
                    rows={[
                      [s.credentialId, passkey.shortId],
                      [s.kind, passkey.deviceType === 'multiDevice' ? s.multiDevice : s.singleDevice],
                      [s.backup, passkey.backedUp ? s.backedUp : s.notBackedUp],
                      [s.addedAt, when(frame, passkey.createdAt)],
                      [s.lastUsedAt, passkey.lastUsedAt === null ? s.neverUsed : when(frame, passkey.lastUsedAt)]
                    ]}
                  />
                </li>
              ))}
            </ul>
          )}
    </section>
  )
}
