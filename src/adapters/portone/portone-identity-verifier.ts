import {
  GetIdentityVerificationError,
  IdentityVerificationClient,
  type IdentityVerification,
  type IdentityVerificationVerifiedCustomer
} from '@portone/server-sdk/identityVerification'
import type { IdentityLookup, IdentityVerifier } from '../../application/ports/outbound/identity-verifier.js'
import { IdentityUnavailableError } from '../../domain/errors.js'
import type { VerifiedIdentity } from '../../domain/identity.js'
import { DeadlineExceeded, withDeadline } from '../system/with-deadline.js'

export interface PortOneIdentityOptions {
  /** The V2 API secret: sent as `Authorization: PortOne <secret>`, never put in an error. */
  secret: string
  storeId: string
  /** https://api.portone.io, or a stand-in. */
  baseUrl: string
  timeoutMs: number
}

/**
 * Reads identity verifications from PortOne's V2 API with its official SDK
 * (GET /identity-verifications/{id}?storeId=...).
 *
 * The SDK calls the global fetch without an AbortSignal, so the deadline is a race with a timer:
 * the look-up answers IdentityUnavailableError when the timer wins, and the abandoned request is
 * left to finish or fail on its own (its outcome is ignored). A slow provider therefore costs a
 * socket until it answers, never a member's request.
 *
 * Every failure (our credentials refused, an error type we do not know, a 5xx, a body that is not
 * JSON, a network error, the deadline) becomes IdentityUnavailableError naming only the error type
 * or the network code: the provider's message may echo input, and the record holds a CI and a DI.
 */
export function createPortOneIdentityVerifier (options: PortOneIdentityOptions): IdentityVerifier {
  const { secret, storeId, baseUrl, timeoutMs } = options
  const client = IdentityVerificationClient({ secret, storeId, baseUrl })

  return {
    async lookUp (verificationId) {
      // An empty id would address the list endpoint (GET /identity-verifications/).
      if (verificationId === '') return { found: false, reason: 'not_found' }
      let record: IdentityVerification
      try {
        record = await withDeadline(
          client.getIdentityVerification({ identityVerificationId: verificationId, storeId }),
          timeoutMs
        )
      } catch (error) {
        const refusal = refusalOf(error)
        if (refusal !== null) return { found: false, reason: refusal }
        throw new IdentityUnavailableError(describe(error, timeoutMs))
      }
      return lookUpOf(record, verificationId)
    }
  }
}

/** PortOne's answers that say something about the id, not about PortOne or our credentials. */
function refusalOf (error: unknown): 'not_found' | 'other_store' | null {
  if (!(error instanceof GetIdentityVerificationError)) return null
  switch (error.data.type) {
    // INVALID_REQUEST: an id PortOne cannot parse is no verification either.
    case 'IDENTITY_VERIFICATION_NOT_FOUND':
    case 'INVALID_REQUEST':
      return 'not_found'
    case 'FORBIDDEN':
      return 'other_store'
    default:
      return null
  }
}

function lookUpOf (record: IdentityVerification, verificationId: string): IdentityLookup {
  if (record.status !== 'VERIFIED') return { found: false, reason: 'not_verified' }
  // A record for another id would confirm the wrong person: trust only the one asked for.
  if (record.id !== verificationId) return { found: false, reason: 'not_found' }
  // The SDK's types are not checked at run time: a verified record without its person is an answer we cannot use.
  const customer = record.verifiedCustomer as IdentityVerificationVerifiedCustomer | null | undefined
  const verifiedAt = new Date(record.verifiedAt)
  if (typeof customer?.name !== 'string' || Number.isNaN(verifiedAt.getTime())) {
    throw new IdentityUnavailableError('portone answered a verified record without its name or verifiedAt')
  }
  return { found: true, identity: identityOf(record.id, customer, verifiedAt) }
}

function identityOf (
  verificationId: string,
  customer: IdentityVerificationVerifiedCustomer,
  verifiedAt: Date
): VerifiedIdentity {
  return {
    verificationId,
    ci: text(customer.ci),
    di: text(customer.di),
    name: customer.name,
    birth: typeof customer.birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(customer.birthDate)
      ? customer.birthDate
      : null,
    gender: customer.gender === 'MALE' ? 'male' : customer.gender === 'FEMALE' ? 'female' : null,
    phone: text(customer.phoneNumber),
    carrier: text(customer.operator),
    foreigner: typeof customer.isForeigner === 'boolean' ? customer.isForeigner : null,
    verifiedAt
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

function describe (error: unknown, timeoutMs: number): string {
  if (error instanceof DeadlineExceeded) return `portone did not answer within ${timeoutMs} ms`
  if (error instanceof GetIdentityVerificationError) {
    const type = typeof error.data.type === 'string' && /^[A-Z0-9_]{1,64}$/.test(error.data.type)
      ? error.data.type
      : 'unrecognised'
    return type === 'UNAUTHORIZED' ? 'portone refused our credentials (UNAUTHORIZED)' : `portone answered ${type}`
  }
  // The SDK parses every answer as JSON: a gateway's HTML error page lands here.
  if (error instanceof SyntaxError) return 'portone answered something other than JSON'
  // fetch wraps network failures in a TypeError whose cause carries the system error code.
  const { code } = ((error as { cause?: unknown } | null)?.cause ?? {}) as { code?: unknown }
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return `portone unreachable (${code})`
  return `portone look-up failed (${error instanceof Error ? error.name : 'unknown'})`
}
