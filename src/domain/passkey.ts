/** A WebAuthn credential a member registered (a passkey), as the service keeps it. */
export interface Passkey {
  /** The credential id, base64url. */
  credentialId: string
  memberId: string
  /** The COSE public key, as the authenticator gave it. */
  publicKey: Uint8Array
  /** The signature counter last seen (0 for authenticators that keep none). */
  counter: number
  transports: string[]
  /** `multiDevice`: synced between the member's devices (a passkey); `singleDevice`: bound to one. */
  deviceType: 'singleDevice' | 'multiDevice'
  backedUp: boolean
  /** A label the member gave it, if any. */
  name: string | null
  createdAt: Date
  lastUsedAt: Date | null
}
