import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON
} from '@simplewebauthn/server'
import type { CeremonyStart, NewCredential, WebAuthn } from '../../application/ports/system/web-authn.js'

export interface WebAuthnSettings {
  /** The relying party id: the registrable domain the credentials are bound to (`example.com`). */
  rpId: string
  /** The name an authenticator shows beside the credential. */
  rpName: string
  /** Every origin an answer may come from: `https://` web origins and `android:apk-key-hash:<hash>` apps. */
  origins: string[]
}

const BASE64URL = /^[A-Za-z0-9_-]+$/
/** A credential id is at most 1023 bytes (WebAuthn level 3), 1364 characters in base64url. */
const MAX_ID_CHARS = 1364
/** Client data is a small JSON object; a larger one is not worth decoding. */
const MAX_CLIENT_DATA_CHARS = 8192

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const hostOf = (text: string): string | null => {
  try {
    return new URL(`https://${text}`).hostname
  } catch {
    return null
  }
}

/** Checked once at start-up, since the library would refuse them at every verification (and we answer null there). */
function assertSettings ({ rpId, origins }: WebAuthnSettings): void {
  if (hostOf(rpId) !== rpId) throw new Error(`WebAuthn rpId ${rpId} is not an ASCII host name`)
  if (origins.length === 0) throw new Error('WebAuthn needs at least one origin')
  for (const origin of origins) {
    if (origin.startsWith('https://') && new URL(origin).origin !== origin) {
      throw new Error(`WebAuthn origin ${origin} is not an ASCII origin without a path or trailing slash`)
    }
  }
}

/**
 * The WebAuthn ceremonies through @simplewebauthn/server. Passkeys are discoverable credentials
 * (resident keys), so sign-in needs no user name first. User verification is asked for but not
 * required, as the options say: a verifier that required it would refuse, after the fact, an
 * authenticator the options accepted. Attestation is `none`: which make of authenticator holds the
 * key does not change what we trust. Every library refusal (and any throw on malformed input)
 * becomes null, which the use-cases answer as a refused ceremony.
 */
export function createSimpleWebAuthn (settings: WebAuthnSettings): WebAuthn {
  assertSettings(settings)
  const { rpId, rpName, origins } = settings
  const expected = { expectedOrigin: origins, expectedRPID: rpId, requireUserVerification: false }

  return {
    async registrationOptions (member, exclude) {
      const options = await generateRegistrationOptions({
        rpName,
        rpID: rpId,
        userName: member.name,
        userDisplayName: member.displayName,
        // The user handle an authenticator gives back at sign-in: the member's id, never a phone or email.
        userID: new TextEncoder().encode(member.id),
        attestationType: 'none',
        excludeCredentials: exclude.map((id) => ({ id })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }
      })
      return start(options)
    },

    async verifyRegistration (response, expectedChallenge) {
      try {
        const { verified, registrationInfo } = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge,
          ...expected
        })
        if (!verified) return null
        const { credential, credentialDeviceType, credentialBackedUp } = registrationInfo
        const created: NewCredential = {
          credentialId: credential.id,
          publicKey: Uint8Array.from(credential.publicKey),
          counter: credential.counter,
          transports: [...(credential.transports ?? [])],
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp
        }
        return created
      } catch {
        return null
      }
    },

    async authenticationOptions () {
      return start(await generateAuthenticationOptions({ rpID: rpId, userVerification: 'preferred' }))
    },

    challengeOf (response) {
      const clientData = isRecord(response) && isRecord(response.response) ? response.response.clientDataJSON : null
      if (typeof clientData !== 'string' || clientData.length > MAX_CLIENT_DATA_CHARS || !BASE64URL.test(clientData)) {
        return null
      }
      try {
        const parsed: unknown = JSON.parse(Buffer.from(clientData, 'base64url').toString('utf8'))
        const challenge = isRecord(parsed) ? parsed.challenge : null
        return typeof challenge === 'string' && challenge.length > 0 ? challenge : null
      } catch {
        return null
      }
    },

    credentialIdOf (response) {
      const id = isRecord(response) ? response.id : null
      return typeof id === 'string' && id.length <= MAX_ID_CHARS && BASE64URL.test(id) ? id : null
    },

    async verifyAuthentication (response, expectedChallenge, passkey) {
      try {
        const answer = response as AuthenticationResponseJSON
        // The library checks the signature with the key it is given: that the answer names this
        // credential, and (for a discoverable one) this member's handle, is ours to check.
        if (answer.id !== passkey.credentialId) return null
        const handle = answer.response.userHandle
        if (handle !== undefined && handle !== null) {
          if (typeof handle !== 'string' || Buffer.from(handle, 'base64url').toString('utf8') !== passkey.memberId) {
            return null
          }
        }
        const { verified, authenticationInfo } = await verifyAuthenticationResponse({
          response: answer,
          expectedChallenge,
          ...expected,
          credential: {
            id: passkey.credentialId,
            publicKey: Uint8Array.from(passkey.publicKey),
            counter: passkey.counter,
            transports: passkey.transports
          }
        })
        if (!verified) return null
        return { counter: authenticationInfo.newCounter, backedUp: authenticationInfo.credentialBackedUp }
      } catch {
        return null
      }
    }
  }
}

function start (options: { challenge: string }): CeremonyStart {
  return { options: options as unknown as Record<string, unknown>, challenge: options.challenge }
}
