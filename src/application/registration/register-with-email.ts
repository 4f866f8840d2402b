import { parseNewEmail } from '../../domain/email.js'
import { DuplicateValueError, EmailTakenError, FieldErrorCollector } from '../../domain/errors.js'
import { assertPasswordPolicy } from '../../domain/password.js'
import type { Language } from '../../domain/language.js'
import { parsePushToken } from '../../domain/push-token.js'
import type { IdGenerator } from '../ports/system/id-generator.js'
import type { PasswordHasher } from '../ports/system/password-hasher.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'

export interface RegisterWithEmailDeps {
  accounts: AccountRepository
  hasher: PasswordHasher
  ids: IdGenerator
  recordAudit: RecordAudit
}

/** `client`: the client's address, for the audit trail. */
export interface RegisterWithEmailInput {
  email: string
  password: string
  fcmToken: string | null
  language: Language
  client: string
}

/** Email sign-ups need no approval: they start `approved` (contract). */
export const makeRegisterWithEmail = ({ accounts, hasher, ids, recordAudit }: RegisterWithEmailDeps) =>
  async function registerWithEmail (input: RegisterWithEmailInput): Promise<void> {
    const problems = new FieldErrorCollector()
    const email = problems.attempt(() => parseNewEmail(input.email))
    problems.attempt(() => assertPasswordPolicy(input.password))
    const pushToken = problems.attempt(() => parsePushToken(input.fcmToken, 'fcm_token'))
    problems.throwIfAny()

    const passwordHash = await hasher.hash(input.password)
    const id = ids.newId()
    try {
      await accounts.create({
        id,
        email: email!,
        passwordHash,
        mobile: null,
        status: 'approved',
        language: input.language,
        profile: null,
        pushToken: pushToken ?? null
      })
    } catch (error) {
      if (error instanceof DuplicateValueError && error.field === 'email') throw new EmailTakenError()
      throw error
    }
    await recordAudit({ kind: 'member', memberId: id }, 'member.signed_up', {
      memberId: id,
      address: input.client,
      detail: { door: 'email' }
    })
  }
