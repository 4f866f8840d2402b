import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { CDPSession, Page } from 'playwright-core'

// A platform authenticator for browser tests: Chromium's virtual authenticator (CDP's WebAuthn
// domain) answers navigator.credentials in the page as a phone's would, with real keys and
// signatures, so a ceremony is verified end to end by the server's own code.

export interface VirtualAuthenticatorOptions {
  /** Credentials it creates carry the backup-eligible and backed-up flags: a synced passkey. */
  synced?: boolean
}

/** A credential as the authenticator holds it; ids in base64url, as the server names them. */
export interface HeldCredential { credentialId: string, rpId: string, userHandle: string | null, signCount: number }

export interface VirtualAuthenticator {
  /** navigator.credentials.create with the server's creation options (JSON), answered as the app sends it. */
  register (options: Record<string, unknown>): Promise<RegistrationResponseJSON>
  /** navigator.credentials.get with the server's request options (JSON), answered as the app sends it. */
  authenticate (options: Record<string, unknown>): Promise<AuthenticationResponseJSON>
  credentials (): Promise<HeldCredential[]>
  /** Sets the backup flags its next assertions for the credential carry (a passkey synced later). */
  setBackupState (credentialId: string, backedUp: boolean): Promise<void>
  /** The authenticator forgets the credential (the member deleted it on the device). */
  forget (credentialId: string): Promise<void>
}

const toBase64 = (base64url: string) => Buffer.from(base64url, 'base64url').toString('base64')
const toBase64url = (base64: string) => Buffer.from(base64, 'base64').toString('base64url')

// tsx compiles with esbuild's keepNames, which wraps every named function in `__name(...)`: a
// function handed to page.evaluate carries those calls into a page that has no such helper.
const NAME_SHIM = 'globalThis.__name ??= (target) => target'

/**
 * Adds a CTAP2 platform authenticator (internal transport, resident keys, user verification that
 * succeeds) to the page, through a CDP session of its own. Presence is simulated, so ceremonies
 * complete without a prompt. Holds for the page's life.
 */
export async function addVirtualAuthenticator (
  page: Page,
  { synced = false }: VirtualAuthenticatorOptions = {}
): Promise<VirtualAuthenticator> {
  const cdp: CDPSession = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      defaultBackupEligibility: synced,
      defaultBackupState: synced
    }
  })
  await page.addInitScript(NAME_SHIM)
  await page.evaluate(NAME_SHIM)

  return {
    register: (options) => page.evaluate(createInPage, options),
    authenticate: (options) => page.evaluate(getInPage, options),
    async credentials () {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      return credentials.map((credential) => ({
        credentialId: toBase64url(credential.credentialId),
        rpId: credential.rpId ?? '',
        userHandle: credential.userHandle === undefined ? null : toBase64url(credential.userHandle),
        signCount: credential.signCount
      }))
    },
    async setBackupState (credentialId, backedUp) {
      await cdp.send('WebAuthn.setCredentialProperties', {
        authenticatorId,
        credentialId: toBase64(credentialId),
        backupEligibility: true,
        backupState: backedUp
      })
    },
    async forget (credentialId) {
      await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: toBase64(credentialId) })
    }
  }
}

// The two functions below run in the page (serialised by page.evaluate): only what they define
// themselves and the page's globals. Binary fields go both ways as base64url, the JSON shape
// @simplewebauthn/server takes (the shape @simplewebauthn/browser sends).

async function createInPage (options: Record<string, any>): Promise<RegistrationResponseJSON> {
  const decode = (text: string): ArrayBuffer => {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer
  }
  const encode = (bytes: ArrayBuffer): string =>
    btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  const publicKey: PublicKeyCredentialCreationOptions = {
    ...(options as PublicKeyCredentialCreationOptions),
    challenge: decode(options.challenge),
    user: { ...options.user, id: decode(options.user.id) },
    excludeCredentials: (options.excludeCredentials ?? []).map((credential: { id: string }) => ({
      ...credential,
      id: decode(credential.id)
    }))
  }
  const credential = await navigator.credentials.create({ publicKey }) as PublicKeyCredential
  const response = credential.response as AuthenticatorAttestationResponse
  const publicKeyBytes = response.getPublicKey()
  return {
    id: credential.id,
    rawId: encode(credential.rawId),
    type: 'public-key',
    response: {
      clientDataJSON: encode(response.clientDataJSON),
      attestationObject: encode(response.attestationObject),
      authenticatorData: encode(response.getAuthenticatorData()),
      transports: response.getTransports() as RegistrationResponseJSON['response']['transports'],
      publicKeyAlgorithm: response.getPublicKeyAlgorithm(),
      ...(publicKeyBytes === null ? {} : { publicKey: encode(publicKeyBytes) })
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    ...(credential.authenticatorAttachment === null
      ? {}
      : { authenticatorAttachment: credential.authenticatorAttachment as AuthenticatorAttachment })
  }
}

async function getInPage (options: Record<string, any>): Promise<AuthenticationResponseJSON> {
  const decode = (text: string): ArrayBuffer => {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer
  }
  const encode = (bytes: ArrayBuffer): string =>
    btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  const publicKey: PublicKeyCredentialRequestOptions = {
    ...(options as PublicKeyCredentialRequestOptions),
    challenge: decode(options.challenge),
    ...(options.allowCredentials === undefined
      ? {}
      : {
          allowCredentials: options.allowCredentials.map((credential: { id: string }) => ({
            ...credential,
            id: decode(credential.id)
          }))
        })
  }
  const credential = await navigator.credentials.get({ publicKey }) as PublicKeyCredential
  const response = credential.response as AuthenticatorAssertionResponse
  return {
    id: credential.id,
    rawId: encode(credential.rawId),
    type: 'public-key',
    response: {
      clientDataJSON: encode(response.clientDataJSON),
      authenticatorData: encode(response.authenticatorData),
      signature: encode(response.signature),
      ...(response.userHandle === null ? {} : { userHandle: encode(response.userHandle) })
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    ...(credential.authenticatorAttachment === null
      ? {}
      : { authenticatorAttachment: credential.authenticatorAttachment as AuthenticatorAttachment })
  }
}
