import { NotFoundError, ValidationError } from '../../domain/errors.js'
import { fromShortUuid } from '../../domain/short-uuid.js'
import { requireText } from '../../domain/text-field.js'
import type { RecordAudit } from '../audit/record-audit.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { RejectionReason, RejectionReasonCatalog } from '../ports/records/rejection-reasons.js'
import type { Clock } from '../ports/system/clock.js'
import type { IdGenerator } from '../ports/system/id-generator.js'
import type { ActingStaff } from '../staff/staff-admin.js'
import { requireReason } from './review-members.js'

export interface RejectionReasonsDeps {
  reasons: RejectionReasonCatalog
  accounts: Pick<AccountRepository, 'findById'>
  recordAudit: RecordAudit
  clock: Clock
  ids: IdGenerator
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A preset's text is a sentence a member reads: one line, short. */
export const REASON_TEXT_MAX_LENGTH = 200

/**
 * The preset rejection reasons: staff add, edit and retire them (each on the trail as a catalog
 * change of kind `rejection_reason`), and a rejection made with one takes its text in the member's
 * language (the language their app sent), then any free text staff added, as the member's reason.
 * The reason stays one string on the member's record, as the apps read it.
 */
export const makeRejectionReasons = ({ reasons, accounts, recordAudit, clock, ids }: RejectionReasonsDeps) => {
  const texts = (input: { ko: string, en: string }) => ({
    ko: requireText(input.ko, 'ko', REASON_TEXT_MAX_LENGTH),
    en: requireText(input.en, 'en', REASON_TEXT_MAX_LENGTH)
  })
  const audited = async (by: ActingStaff, action: 'catalog.added' | 'catalog.changed', reason: RejectionReason) => {
    await recordAudit(by.actor, action, {
      address: by.address,
      detail: {
        kind: 'rejection_reason',
        id: reason.id,
        ko: reason.ko,
        en: reason.en,
        retired: reason.retiredAt !== null
      }
    })
  }
  const existing = async (id: string): Promise<RejectionReason> => {
    const reason = await reasons.find(id)
    if (reason === null) throw new NotFoundError()
    return reason
  }

  return {
    /** Every reason, retired ones too (the admin page). */
    all: (): Promise<RejectionReason[]> => reasons.list(),

    /** The reasons in use, as the reject form offers them. */
    live: async (): Promise<RejectionReason[]> => (await reasons.list()).filter(reason => reason.retiredAt === null),

    async add (by: ActingStaff, input: { ko: string, en: string }): Promise<RejectionReason> {
      const reason = { id: ids.newId(), ...texts(input), createdAt: clock.now(), retiredAt: null }
      await reasons.add(reason)
      await audited(by, 'catalog.added', reason)
      return reason
    },

    async change (by: ActingStaff, id: string, input: { ko: string, en: string }): Promise<void> {
      const next = texts(input)
      if (!(await reasons.change(id, next))) throw new NotFoundError()
      await audited(by, 'catalog.changed', await existing(id))
    },

    /** Retires a reason (no longer offered; rejections made with it keep their text) or puts it back. */
    async retire (by: ActingStaff, id: string, retired: boolean): Promise<void> {
      if (!(await reasons.retire(id, retired ? clock.now() : null))) throw new NotFoundError()
      await audited(by, 'catalog.changed', await existing(id))
    },

    /**
     * The reason a rejection gives the member: the preset's text in the member's language (a
     * retired or unknown preset is invalid input), then the free text; at least one of the two.
     */
    async compose (memberRef: string, input: { preset: string | null, text: string }): Promise<string> {
      const free = input.text.trim()
      if (input.preset === null) return requireReason(free)
      const preset = await reasons.find(input.preset)
      if (preset === null || preset.retiredAt !== null) throw ValidationError.of('preset', 'invalid_choice')
      const id = UUID.test(memberRef) ? memberRef.toLowerCase() : fromShortUuid(memberRef)
      const member = id === null ? null : await accounts.findById(id)
      if (member === null) throw new NotFoundError()
      const text = member.language === 'en' ? preset.en : preset.ko
      return requireReason(free === '' ? text : `${text}\n${free}`)
    }
  }
}

export type RejectionReasons = ReturnType<typeof makeRejectionReasons>
