import type { Passkey } from '../../domain/passkey.js'
import type { LinkedIdentity } from '../../domain/sign-in-provider.js'
import type { LinkedIdentities } from '../ports/records/linked-identities.js'
import type { Passkeys } from '../ports/records/passkeys.js'

export interface MemberSignInsDeps { identities: LinkedIdentities, passkeys: Passkeys }

/**
 * A passkey as staff see it. The public key and the counter are left behind here, in the core:
 * no reviewer needs them, and a page that never receives them cannot show them.
 */
export type StaffPasskey = Omit<Passkey, 'publicKey' | 'counter'>

/** A member's ways in besides the number and the password: identities and passkeys, oldest first. */
export interface MemberSignInList { identities: LinkedIdentity[], passkeys: StaffPasskey[] }

/** The member page's "ways to sign in": read-only, so nothing goes on the trail. */
export const makeMemberSignIns = ({ identities, passkeys }: MemberSignInsDeps) => ({
  async list (memberId: string): Promise<MemberSignInList> {
    const [linked, registered] = await Promise.all([
      identities.listByMember(memberId),
      passkeys.listByMember(memberId)
    ])
    return {
      identities: linked,
      passkeys: registered.map(passkey => ({
        credentialId: passkey.credentialId,
        memberId: passkey.memberId,
        transports: passkey.transports,
        deviceType: passkey.deviceType,
        backedUp: passkey.backedUp,
        name: passkey.name,
        createdAt: passkey.createdAt,
        lastUsedAt: passkey.lastUsedAt
      }))
    }
  }
})

export type MemberSignIns = ReturnType<typeof makeMemberSignIns>
