import { signInUndoSubject } from '../../domain/code-subject.js'
import { DuplicateValueError, InvalidCodeError, SignInMethodTakenError } from '../../domain/errors.js'
import type { PhoneNumber } from '../../domain/user.js'
import type { AbuseLimits } from '../security/abuse-limits.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import type { Clock } from '../ports/system/clock.js'
import type { CodeHasher } from '../ports/system/code-hasher.js'
import type { UndoNotice } from '../ports/outbound/member-texts.js'
import type { RandomSource } from '../ports/system/random-source.js'
import type { UndoKind, UndoRecord, UndoStore } from '../ports/records/undo-store.js'
import type { AccountRepository } from '../ports/records/account-repository.js'
import type { EmailChangeRepository } from '../ports/records/email-change-repository.js'
import type { RecordAudit } from '../audit/record-audit.js'

/**
 * How long the method a change replaced may undo it (Supabase's secure email change mails both
 * addresses; we give the old one a way back).
 */
export const UNDO_DAYS = 7
/**
 * Crockford's base32: no I, L, O or U, so nothing reads as another character; typed in by hand
 * from an SMS or a mail. Ten characters are 50 bits. That is enough for a code that works once,
 * for 7 days, at a route whose guesses all strangers share one budget for (UNDO_GUESSES, about
 * 300 a day with the default limits): a year of that budget finds one of a million live codes
 * with a chance of about 1 in 10^4.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const LENGTH = 10
/**
 * The guard's target for every undo guess. The route names no member and the code is the only
 * secret, so there is no per-member target: all strangers' wrong guesses share one budget (and
 * each client has its own). The price: a flood of wrong guesses can hold a member's undo back
 * (429 with Retry-After) while it lasts; the code outlives a flood by days (docs/security.md).
 */
export const UNDO_GUESSES = 'undo:all'

const DAY_MS = 86_400_000

/**
 * The code as typed: case, spaces and dashes do not matter, and O, I and L read as 0, 1 and 1
 * (Crockford). Null: no code of ours.
 */
function normalise (typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null
}

export interface IssueUndoDeps { undos: UndoStore, random: RandomSource, codeHasher: CodeHasher, clock: Clock }

/**
 * A new undo code for a change about to be made: recorded (by its hash) before the change, so
 * no method is ever replaced without a way back. Answers the code as the notice shows it.
 */
export const makeIssueUndo = ({ undos, random, codeHasher, clock }: IssueUndoDeps) =>
  async function issueUndo (userId: string, kind: UndoKind, previous: string): Promise<UndoNotice> {
    const code = random.characters(ALPHABET, LENGTH)
    const now = clock.now()
    await undos.record(codeHasher.hash(signInUndoSubject, code), {
      userId,
      kind,
      previous,
      createdAt: now,
      expiresAt: new Date(now.getTime() + UNDO_DAYS * DAY_MS)
    })
    return { code: `${code.slice(0, 5)}-${code.slice(5)}`, validDays: UNDO_DAYS }
  }

export type IssueUndo = ReturnType<typeof makeIssueUndo>

export interface UndoSignInChangeDeps {
  undos: UndoStore
  codeHasher: CodeHasher
  clock: Clock
  accounts: AccountRepository
  emailChanges: EmailChangeRepository
  endSessions: EndSessions
  limits: AbuseLimits
  recordAudit: RecordAudit
}

/**
 * Whoever holds the replaced method puts it back with the code it was sent, without a token (the
 * one who made the change may hold every token there is): the old address or number is the
 * account's again, every session ends, and the code is spent. Taking a code also voids the later
 * codes of that method (UndoStore.take), so the one who made the later changes cannot undo this.
 */
export const makeUndoSignInChange = ({
  undos,
  codeHasher,
  clock,
  accounts,
  emailChanges,
  endSessions,
  limits,
  recordAudit
}: UndoSignInChangeDeps) => {
  /** Puts the old method back; false: the member is gone. An address comes back proven: its code was mailed there. */
  const restore = async ({ userId, kind, previous }: UndoRecord): Promise<boolean> => {
    if (kind === 'mobile') return await accounts.setMobile(userId, previous as PhoneNumber) // E.164, as it was recorded
    if (!(await emailChanges.stageEmail(userId, previous, null))) return false
    return (await emailChanges.confirmEmail(userId, clock.now())) !== null
  }

  return async function undoSignInChange (input: { code: string, client: string }): Promise<{ kind: UndoKind }> {
    const code = normalise(input.code)
    const hash = code === null ? null : codeHasher.hash(signInUndoSubject, code)
    let taken: UndoRecord | null = null
    // A malformed code is a wrong guess too: same answer, same cost.
    const right = await limits.guard(UNDO_GUESSES, input.client, async () => {
      taken = hash === null ? null : await undos.take(hash, clock.now())
      return taken !== null
    })
    const undo = taken as UndoRecord | null // assigned inside the guard's attempt
    if (!right || undo === null || hash === null) throw new InvalidCodeError()
    try {
      if (!(await restore(undo))) throw new InvalidCodeError() // the code went with the account
    } catch (error) {
      if (!(error instanceof DuplicateValueError)) throw error
      // Another account holds the old method now: nothing changed, so the code stays the member's to use.
      await undos.release(hash)
      throw new SignInMethodTakenError()
    }
    await endSessions.everywhere(undo.userId)
    await recordAudit({ kind: 'member', memberId: undo.userId }, 'member.sign_in_method_restored', {
      memberId: undo.userId,
      address: input.client,
      detail: { kind: undo.kind }
    })
    return { kind: undo.kind }
  }
}

export type UndoSignInChange = ReturnType<typeof makeUndoSignInChange>
