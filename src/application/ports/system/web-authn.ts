import type { Passkey } from '../../../domain/passkey.js'

/** Options to hand to the app's WebAuthn API as they are (JSON), and the challenge inside them. */
export interface CeremonyStart { options: Record<string, unknown>, challenge: string }

/** A credential the authenticator created, once its attestation is verified. */
export type NewCredential =
  Pick<Passkey, 'credentialId' | 'publicKey' | 'counter' | 'transports' | 'deviceType' | 'backedUp'>

/**
 * The WebAuthn ceremonies (relying party id and origins from configuration): building the options
 * and verifying what the authenticator answered. `response` is the app's JSON as received; an
 * answer that is malformed, for another origin or relying party, or for another challenge is null.
 */
export interface WebAuthn {
  registrationOptions (
    member: { id: string, name: string, displayName: string },
    exclude: string[]
  ): Promise<CeremonyStart>
  verifyRegistration (response: unknown, expectedChallenge: string): Promise<NewCredential | null>
  /** Discoverable credentials: no list of allowed ones, the authenticator offers the member's own. */
  authenticationOptions (): Promise<CeremonyStart>
  /** The challenge an answer claims to answer (from its client data), to find its ceremony; null when unreadable. */
  challengeOf (response: unknown): string | null
  /** The credential id an authentication answer names; null when unreadable. */
  credentialIdOf (response: unknown): string | null
  verifyAuthentication (
    response: unknown,
    expectedChallenge: string,
    passkey: Passkey
  ): Promise<{ counter: number, backedUp: boolean } | null>
}
