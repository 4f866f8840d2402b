import { DuplicateValueError, NotFoundError, PasskeyRefusedError } from '../../domain/errors.js'
import type { Passkey } from '../../domain/passkey.js'
import { toShortUuid } from '../../domain/short-uuid.js'
import type { Passkeys } from '../ports/records/passkeys.js'
import type { CeremonyChallenges } from '../ports/shared-state/ceremony-challenges.js'
import type { WebAuthn } from '../ports/system/web-authn.js'
import type { Principal } from '../sign-in/authenticate.js'
import type { DoorSession, SignInDeps, SignInRequest } from './door-session.js'

export interface PasskeySignInDeps extends SignInDeps {
  /** null: WEBAUTHN_RP_ID is not configured, and every passkey route answers 404. */
  webAuthn: WebAuthn | null
  challenges: CeremonyChallenges
  passkeys: Passkeys
}

/** A ceremony's challenge lives this long: the member's device asks for a fingerprint meanwhile. */
export const CEREMONY_TTL_SECONDS = 300

/**
 * Passkeys: a signed-in member registers them, anyone signs in with one (discoverable
 * credentials: the device offers the member's own, no account is named first). Each challenge is
 * taken once; a counter that does not move forward (a cloned authenticator) refuses the sign-in.
 */
export const makePasskeySignIn = (deps: PasskeySignInDeps) => {
  const { challenges, passkeys, accounts, tokens, limits, clock, recordAudit } = deps
  const ceremonies = (): WebAuthn => {
    if (deps.webAuthn === null) throw new NotFoundError()
    return deps.webAuthn
  }

  return {
    /** Step 1 of adding a passkey: options for the device, within 10 minutes of signing in. */
    async registrationOptions (principal: Principal): Promise<Record<string, unknown>> {
      const webAuthn = ceremonies()
      const user = await deps.signInMethods.mayAdd(principal)
      const held = await passkeys.listByMember(user.id)
      const label = user.email ?? user.mobile ?? toShortUuid(user.id)
      const start = await webAuthn.registrationOptions(
        { id: user.id, name: label, displayName: label },
        held.map(passkey => passkey.credentialId)
      )
      await challenges.issue(start.challenge, { kind: 'register', memberId: user.id }, CEREMONY_TTL_SECONDS)
      return start.options
    },

    /** Step 2: the device's answer, verified against the challenge issued to this member. */
    async register (principal: Principal, response: unknown, name: string | null, client: string): Promise<Passkey[]> {
      const webAuthn = ceremonies()
      const user = await deps.signInMethods.mayAdd(principal)
      const challenge = webAuthn.challengeOf(response)
      const ceremony = challenge === null ? null : await challenges.take(challenge)
      if (challenge === null || ceremony?.kind !== 'register' || ceremony.memberId !== user.id) {
        throw new PasskeyRefusedError()
      }
      const credential = await webAuthn.verifyRegistration(response, challenge)
      if (credential === null) throw new PasskeyRefusedError()
      await recordAudit({ kind: 'member', memberId: user.id }, 'member.passkey_added', {
        memberId: user.id,
        address: client,
        detail: { deviceType: credential.deviceType, backedUp: credential.backedUp }
      })
      try {
        const added = await passkeys.add({
          ...credential,
          memberId: user.id,
          name,
          createdAt: clock.now(),
          lastUsedAt: null
        })
        if (!added) throw new NotFoundError()
      } catch (error) {
        if (error instanceof DuplicateValueError) throw new PasskeyRefusedError()
        throw error
      }
      return await passkeys.listByMember(user.id)
    },

    /** Step 1 of a sign-in: a challenge for any of the device's passkeys. */
    async signInOptions (): Promise<Record<string, unknown>> {
      const start = await ceremonies().authenticationOptions()
      await challenges.issue(start.challenge, { kind: 'sign_in' }, CEREMONY_TTL_SECONDS)
      return start.options
    },

    /**
     * Step 2: the assertion, for a challenge this service issued and nobody used, by a passkey a
     * member holds, with a counter that moved forward. A forged assertion cannot be guessed (it is
     * signed), so it spends no guess budget; the route's per-address limit bounds the tries.
     */
    async signIn (response: unknown, request: Omit<SignInRequest, 'method'>): Promise<DoorSession> {
      const webAuthn = ceremonies()
      const challenge = webAuthn.challengeOf(response)
      const credentialId = webAuthn.credentialIdOf(response)
      const ceremony = challenge === null ? null : await challenges.take(challenge)
      if (challenge === null || credentialId === null || ceremony?.kind !== 'sign_in') throw new PasskeyRefusedError()
      const passkey = await passkeys.find(credentialId)
      if (passkey === null) throw new PasskeyRefusedError()
      const proof = await webAuthn.verifyAuthentication(response, challenge, passkey)
      if (proof === null) throw new PasskeyRefusedError()
      if (!(await passkeys.recordUse(credentialId, { ...proof, at: clock.now() }))) throw new PasskeyRefusedError()
      await limits.guard(`passkey:${credentialId}`, request.client, async () => true, 'code')
      const issuer = tokens.issuer()
      const user = await issuer.read(() => accounts.findProfileById(passkey.memberId))
      if (user === null) throw new PasskeyRefusedError()
      return await deps.beginDoorSession(issuer, user, { ...request, method: 'passkey' })
    },

    async list (principal: Principal): Promise<Passkey[]> {
      return await passkeys.listByMember(principal.userId)
    },

    /** Removes one of the member's passkeys, unless it is their last way in. */
    async remove (principal: Principal, credentialId: string, client: string): Promise<void> {
      const user = await accounts.findById(principal.userId)
      if (user === null) throw new NotFoundError()
      const mine = (await passkeys.listByMember(user.id)).some(passkey => passkey.credentialId === credentialId)
      if (!mine) throw new NotFoundError()
      await deps.signInMethods.mayRemoveOne(user)
      await recordAudit({ kind: 'member', memberId: user.id }, 'member.passkey_removed', {
        memberId: user.id,
        address: client
      })
      if (!(await passkeys.remove(user.id, credentialId))) throw new NotFoundError()
    }
  }
}

export type PasskeySignIn = ReturnType<typeof makePasskeySignIn>
