import { NotFoundError } from '../../domain/errors.js'
import type { Language } from '../../domain/language.js'
import type { DecisionState } from '../../domain/review-decision.js'
import type { EndSessions } from '../sessions/end-sessions.js'
import type { MemberView } from '../members/member-view.js'
import type { NotifyMember, PushReport } from '../members/notify-member.js'
import type { FileStore } from '../ports/outbound/file-store.js'
import type { MemberTexts } from '../ports/outbound/member-texts.js'
import type { RecordDecision } from './record-decision.js'

// What review-members.ts does with a member: signed file links and the decisions with their pushes.

/** A member as staff see them: verification files only as short-lived signed links. */
export interface MemberWithFileLinks extends MemberView {
  fileLinks: Array<{ displayOrder: number, key: string, url: string }>
}

export interface FileLinksDeps { files: FileStore, readLinkTtlSeconds: number }

/** Signs a read link per verification file: identity documents never get a public URL. */
export const makeWithFileLinks = ({ files, readLinkTtlSeconds }: FileLinksDeps) =>
  async function withFileLinks (view: MemberView): Promise<MemberWithFileLinks> {
    return {
      ...view,
      fileLinks: await Promise.all(
        (view.user.profile?.verificationFiles ?? []).map(async file => ({
          displayOrder: file.displayOrder,
          key: file.key,
          url: await files.presignRead(file.key, readLinkTtlSeconds)
        }))
      )
    }
  }

export interface MemberDecisionsDeps {
  recordDecision: RecordDecision
  endSessions: EndSessions
  notifyMember: NotifyMember
  texts: MemberTexts
}

/** A decided member, read back by the caller's own `view`, and how telling their devices went. */
export interface Decided<V> { member: V, push: PushReport }

/**
 * Approve and reject by member id. Each writes the decision, reads the member back through `view`
 * (NotFoundError when there is no such member), then pushes the outcome in the member's language;
 * a push failure never undoes the decision.
 */
export const makeMemberDecisions = ({ recordDecision, endSessions, notifyMember, texts }: MemberDecisionsDeps) => {
  async function decide<V extends { user: { language: Language } }> (
    id: string,
    status: 'approved' | 'rejected',
    write: () => Promise<boolean>,
    view: (id: string) => Promise<V>
  ): Promise<Decided<V>> {
    if (!(await write())) throw new NotFoundError()
    const member = await view(id)
    return { member, push: await notifyMember(id, texts.statusPush(member.user.language, status)) }
  }

  return {
    approve: <V extends { user: { language: Language } }>(
      id: string,
      view: (id: string) => Promise<V>,
      expected?: DecisionState
    ): Promise<Decided<V>> =>
      decide(id, 'approved', () => recordDecision(id, 'approved', null, undefined, expected), view),
    /** A rejection also ends every session the member has (their refresh tokens too). */
    reject: <V extends { user: { language: Language } }>(
      id: string,
      reason: string | null,
      view: (id: string) => Promise<V>,
      expected?: DecisionState
    ): Promise<Decided<V>> => decide(id, 'rejected', () => endSessions.reject(id, reason, expected), view)
  }
}

export type MemberDecisions = ReturnType<typeof makeMemberDecisions>
