import type { MemberSignIns } from '../../../application/review/member-sign-ins.js'
import type { User } from '../../../domain/user.js'
import type { SignInsInput } from './pages/sign-ins-pages.js'

// Enough of a credential id to tell a member's passkeys apart; the whole id is no use to a reviewer.
const SHOWN_ID_CHARACTERS = 8

const shorten = (credentialId: string): string =>
  credentialId.length <= SHOWN_ID_CHARACTERS ? credentialId : `${credentialId.slice(0, SHOWN_ID_CHARACTERS)}…`

/** The member page's ways to sign in: the number and password from the account, the rest from the use-case. */
export async function signInsFor (memberSignIns: MemberSignIns, user: User): Promise<SignInsInput> {
  const { identities, passkeys } = await memberSignIns.list(user.id)
  return {
    smsCode: user.mobile !== null,
    emailPassword: user.email !== null && user.passwordHash !== null,
    identities: identities.map(identity => ({
      provider: identity.provider,
      email: identity.email,
      emailVerified: identity.emailVerified,
      name: identity.name,
      linkedAt: identity.linkedAt,
      lastUsedAt: identity.lastUsedAt
    })),
    passkeys: passkeys.map(passkey => ({
      shortId: shorten(passkey.credentialId),
      name: passkey.name,
      deviceType: passkey.deviceType,
      backedUp: passkey.backedUp,
      createdAt: passkey.createdAt,
      lastUsedAt: passkey.lastUsedAt
    }))
  }
}
