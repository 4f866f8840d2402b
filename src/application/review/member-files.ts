import { NotFoundError, ServiceUnavailableError } from '../../domain/errors.js'
import type { MemberView } from '../members/member-view.js'
import type { FileStore } from '../ports/outbound/file-store.js'
import type { RecordFileViews } from './file-views.js'
import type { Reviewer } from './member-review.js'
import type { ReviewMembers } from './review-members.js'

/**
 * The life of the signed link the console's file route redirects to: long enough for the browser
 * to follow the redirect and read the file, no longer. The page itself holds the console's own
 * URL, which lives as long as the staff session does (see docs/security.md).
 */
export const VIEWER_LINK_TTL_SECONDS = 60

export interface MemberFilesDeps {
  reviewMembers: Pick<ReviewMembers, 'show'>
  files: Pick<FileStore, 'presignRead'>
  recordFileViews: RecordFileViews
}

/**
 * The console's file viewer: a member's verification files one at a time, each look recorded
 * (once per visit, file-views.ts) before anything that shows a file leaves. When the trail cannot
 * be read or written the request fails (ServiceUnavailableError, 503).
 */
export const makeMemberFiles = ({ reviewMembers, files, recordFileViews }: MemberFilesDeps) => {
  const record = async (by: Reviewer, memberId: string, keys: string[]): Promise<void> => {
    try {
      await recordFileViews(by, memberId, keys)
    } catch {
      throw new ServiceUnavailableError()
    }
  }

  return {
    /** The member as the viewer page shows them; every verification file on the page is recorded as viewed. */
    async viewer (by: Reviewer, ref: string): Promise<MemberView> {
      const { fileLinks, ...view } = await reviewMembers.show(ref)
      await record(by, view.user.id, fileLinks.map(file => file.key))
      return view
    },

    /** A short-lived signed link to one verification file (by its display order), recorded first. */
    async link (by: Reviewer, ref: string, displayOrder: number): Promise<string> {
      const { user } = await reviewMembers.show(ref)
      const file = user.profile?.verificationFiles.find(item => item.displayOrder === displayOrder)
      if (file === undefined) throw new NotFoundError()
      await record(by, user.id, [file.key])
      return files.presignRead(file.key, VIEWER_LINK_TTL_SECONDS)
    }
  }
}

export type MemberFiles = ReturnType<typeof makeMemberFiles>
