import { parseBirthDate } from '../../domain/birth-date.js'
import { DuplicateValueError, FieldErrorCollector, ValidationError } from '../../domain/errors.js'
import { toShortUuid, fromShortUuid } from '../../domain/short-uuid.js'
import { optionalText, requireText } from '../../domain/text-field.js'
import { isUploadKeyOfKind, type UploadKind } from '../../domain/uploads.js'
import type { ClaimedIdentity } from '../../domain/identity.js'
import type { Language } from '../../domain/language.js'
import type { Gender, PhoneNumber } from '../../domain/user.js'
import type { DescribeMember, MemberView } from '../members/member-view.js'
import type { CatalogRepository } from '../ports/records/catalog-repository.js'
import type { Clock } from '../ports/system/clock.js'
import type { FileStore } from '../ports/outbound/file-store.js'
import type { IdGenerator } from '../ports/system/id-generator.js'
import type { PhoneParser } from '../ports/system/phone-parser.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'
import { confirmedProfile, VERIFICATION_ID_FIELD, type CheckIdentity } from '../identity/check-identity.js'
import type { ProviderSignIn, ProviderToken } from '../linked-sign-in/provider-sign-in.js'
import { smsUnreachable } from '../security/sms-reach.js'
import type { MemberSessions } from '../sessions/member-sessions.js'
import type { TokenService } from '../sessions/token-service.js'

/**
 * A sign-up as the core names it; the route maps the phone door's fields onto it. Problems are
 * still reported under the door's field names (`unique_in_site`, `verification_files`), which are
 * what the app shows its errors against.
 */
export interface RegisterWithPhoneInput {
  mobile: string
  username: string
  name: string
  birth: string
  gender: Gender
  carrier: string | null
  foreigner: boolean
  interests: string[]
  profession: string | null
  avatar: string | null
  profile: string | null
  uniqueInSite: string | null
  uniqueKey: string | null
  /** The id of a Korean identity verification (PortOne) the app completed, when it sends one. */
  identityVerificationId: string | null
  /** A Kakao, Apple or Google sign-in to attach to the new member (they sign in with it from then on). */
  providerToken?: ProviderToken | null
  /** Upload keys of identity-verification files, with the order the app shows them in. */
  verificationFiles: Array<{ displayOrder: number, key: string }>
  /** The language of the member's SMS and pushes. */
  language: Language
  /** The client's address, for the audit trail and the session list. */
  client: string
  /** The app's User-Agent, for the session list. */
  userAgent: string | null
}

export interface RegisterWithPhoneDeps {
  accounts: AccountRepository
  catalog: CatalogRepository
  phones: PhoneParser
  ids: IdGenerator
  clock: Clock
  tokens: TokenService
  describeMember: DescribeMember
  files: FileStore
  /** SMS_ALLOWED_COUNTRIES: the regions login codes are texted to (see request-otp). */
  allowedCountries: readonly string[]
  recordAudit: RecordAudit
  sessions: MemberSessions
  checkIdentity: CheckIdentity
  providers: Pick<ProviderSignIn, 'checkForSignUp' | 'attachAtSignUp'>
}

export interface PhoneSession { access: string, refresh: string, member: MemberView }

/** The phone door's sign-up: every field checked and reported at once; the member starts `pending`. */
export const makeRegisterWithPhone = (deps: RegisterWithPhoneDeps) =>
  async function registerWithPhone (input: RegisterWithPhoneInput): Promise<PhoneSession> {
    const {
      accounts,
      catalog,
      phones,
      ids,
      clock,
      tokens,
      describeMember,
      files: store,
      allowedCountries,
      recordAudit,
      sessions,
      checkIdentity,
      providers
    } = deps
    const problems = new FieldErrorCollector()
    const mobile = phones.parse(input.mobile)
    if (mobile === null) problems.add('mobile', 'invalid_phone')
    // Members log in only with a texted code: a number that can never get one could never log in.
    const unreachable = mobile === null ? null : smsUnreachable(phones, allowedCountries, mobile)
    if (unreachable !== null) problems.add('mobile', unreachable)
    const username = problems.attempt(() => requireText(input.username, 'username', 150))
    const name = problems.attempt(() => requireText(input.name, 'name', 100))
    const birth = problems.attempt(() => parseBirthDate(input.birth, clock.now()))
    const carrier = problems.attempt(() => optionalText(input.carrier, 'carrier', 50))
    const uniqueInSite = problems.attempt(() => optionalText(input.uniqueInSite, 'unique_in_site', 200))
    const uniqueKey = problems.attempt(() => optionalText(input.uniqueKey, 'unique_key', 200))
    const avatarKey = uploadKey(problems, input.avatar, 'avatar', 'avatar')
    const profileKey = uploadKey(problems, input.profile, 'profile', 'profile')
    const files = input.verificationFiles
    if (files.some(file => !isUploadKeyOfKind(file.key, 'verification'))) {
      problems.add('verification_files', 'invalid_upload_key')
    } else if (new Set(files.map(file => file.key)).size < files.length) {
      problems.add('verification_files', 'upload_in_use')
    }

    const interestIds = await resolveIds(catalog, problems, 'interest', 'interests', [...new Set(input.interests)])
    const professionIds = input.profession === null
      ? []
      : await resolveIds(catalog, problems, 'profession', 'profession', [input.profession])
    problems.throwIfAny()
    // Only files that were really uploaded: a HEAD per key, in parallel; an outage is a 503.
    await Promise.all([
      requireStored(store, problems, 'avatar', avatarKey === null ? [] : [avatarKey]),
      requireStored(store, problems, 'profile', profileKey === null ? [] : [profileKey]),
      requireStored(store, problems, 'verification_files', files.map((file) => file.key))
    ])
    problems.throwIfAny()
    // Last: the provider is asked only about a sign-up that is otherwise whole.
    const claimed: ClaimedIdentity = {
      name: name!,
      birth: birth!,
      gender: input.gender,
      carrier: carrier ?? null,
      foreigner: input.foreigner,
      uniqueKey: uniqueKey ?? null,
      uniqueInSite: uniqueInSite ?? null
    }
    const identity = await checkIdentity(
      { verificationId: input.identityVerificationId, claimed, mobile: mobile as PhoneNumber },
      problems
    )
    problems.throwIfAny()
    const decided = confirmedProfile(claimed, identity)
    const provider = input.providerToken ?? null
    const assertion = provider === null ? null : await providers.checkForSignUp(provider, input.client)

    const id = ids.newId()
    const issuer = tokens.issuer()
    try {
      const user = await issuer.read(() => accounts.create({
        id,
        email: null,
        passwordHash: null,
        mobile: mobile as PhoneNumber,
        status: 'pending',
        language: input.language,
        pushToken: null,
        identity,
        profile: {
          username: username!,
          name: decided.name!,
          birth: decided.birth!,
          gender: decided.gender!,
          carrier: decided.carrier,
          foreigner: decided.foreigner!,
          uniqueInSite: decided.uniqueInSite,
          uniqueKey: decided.uniqueKey,
          avatarKey,
          profileKey,
          professionId: professionIds[0] ?? null,
          interestIds,
          verificationFiles: files
        }
      }))
      // Before the tokens leave: no session exists that the trail does not know began with a sign-up.
      await recordAudit({ kind: 'member', memberId: id }, 'member.signed_up', {
        memberId: id,
        address: input.client,
        detail: { door: 'phone' }
      })
      if (identity !== null) {
        await recordAudit({ kind: 'member', memberId: id }, 'member.identity_confirmed', {
          memberId: id,
          address: input.client,
          detail: { at: 'sign_up', verifiedAt: identity.verifiedAt.toISOString() }
        })
      }
      if (provider !== null && assertion !== null) await providers.attachAtSignUp(id, assertion, provider, input.client)
      const session = await sessions.begin(id, { userAgent: input.userAgent, ip: input.client }, 'phone')
      const pair = issuer.pair(user, toShortUuid(id), session)
      return { access: pair.access, refresh: pair.refresh, member: await describeMember.describe(user) }
    } catch (error) {
      if (error instanceof DuplicateValueError && error.field === 'username') {
        throw ValidationError.of('username', 'username_taken')
      }
      if (error instanceof DuplicateValueError && error.field === 'mobile') {
        throw ValidationError.of('mobile', 'mobile_taken')
      }
      if (error instanceof DuplicateValueError && error.field === 'identity_verification_id') {
        throw ValidationError.of(VERIFICATION_ID_FIELD, 'identity_used')
      }
      if (error instanceof DuplicateValueError && UPLOAD_FIELDS.includes(error.field)) {
        throw ValidationError.of(error.field, 'upload_in_use')
      }
      throw error
    }
  }

const UPLOAD_FIELDS: readonly string[] = ['avatar', 'profile', 'verification_files']

async function requireStored (
  store: FileStore,
  problems: FieldErrorCollector,
  field: string,
  keys: string[]
): Promise<void> {
  const found = await Promise.all(keys.map(key => store.exists(key)))
  if (found.includes(false)) problems.add(field, 'upload_missing')
}

function uploadKey (
  problems: FieldErrorCollector,
  key: string | null | undefined,
  kind: UploadKind,
  field: string
): string | null {
  if (key === null || key === undefined || key === '') return null
  if (!isUploadKeyOfKind(key, kind)) {
    problems.add(field, 'invalid_upload_key')
    return null
  }
  return key
}

/** Public short uuids to internal ids; any that does not name an existing item is a field error. */
async function resolveIds (
  catalog: CatalogRepository,
  problems: FieldErrorCollector,
  kind: 'interest' | 'profession',
  field: string,
  shortIds: string[]
): Promise<string[]> {
  const ids = shortIds.map(fromShortUuid)
  if (ids.some(id => id === null)) {
    problems.add(field, 'unknown_reference')
    return []
  }
  const found = await catalog.findByIds(kind, ids as string[])
  if (found.length !== ids.length) problems.add(field, 'unknown_reference')
  return found.map(item => item.id)
}
