import type { AbuseLimits } from './security/abuse-limits.js'
import type { AddCatalogItem } from './catalog/catalog.js'
import { makeManageCatalog } from './catalog/manage-catalog.js'
import type { Ports } from './ports/ports.js'
import type { RecordAudit } from './audit/record-audit.js'
import { makeReadAuditTrail } from './audit/read-audit-trail.js'
import { makeMemberNotes } from './review/member-notes.js'
import { makeMemberPresence } from './review/member-presence.js'
import { makeMemberSignIns } from './review/member-sign-ins.js'
import { makeRejectionReasons } from './review/rejection-reasons.js'
import { makeAddStaff } from './staff/add-staff.js'
import { makeStaffAdmin } from './staff/staff-admin.js'
import { makeStaffPasswords } from './staff/staff-passwords.js'
import { makeStaffSignIn } from './staff/staff-sign-in.js'
import { makeStaffIdentity } from './identity/staff-identity.js'

/** What the member use-cases lend the console's: one limits object, one trail writer (review is memberReview). */
export interface ConsoleShared { limits: AbuseLimits, addCatalogItem: AddCatalogItem, recordAudit: RecordAudit }

/** The review console's use-cases (staff sign-in, review, staff and catalog administration, the trail). */
export function makeConsoleUseCases (ports: Ports, { limits, addCatalogItem, recordAudit }: ConsoleShared) {
  const { staff, staffSessions: sessions, hasher, totp, clock, audit, catalog, random } = ports
  return {
    staffSignIn: makeStaffSignIn({ staff, sessions, hasher, totp, limits, recordAudit, clock }),
    staffAdmin: makeStaffAdmin({ staff, sessions, totp, recordAudit }),
    staffPasswords: makeStaffPasswords({ staff, sessions, hasher, totp, random, limits, recordAudit, clock }),
    /** The staff:add command's work, when it hands it to the running embedded service. */
    addStaff: makeAddStaff({ staff, hasher, totp, clock, recordAudit }),
    manageCatalog: makeManageCatalog({ catalog, addCatalogItem, recordAudit }),
    /** Who else opened a member's page lately; marks the caller as there too. */
    othersOnMember: makeMemberPresence({ presence: ports.memberPresence, clock }),
    /** The preset rejection reasons: managed by admins, offered on the reject form, in the member's language. */
    rejectionReasons: makeRejectionReasons({
      reasons: ports.rejectionReasons,
      accounts: ports.accounts,
      recordAudit,
      clock,
      ids: ports.ids
    }),
    /** Staff's internal note per member. */
    memberNotes: makeMemberNotes({ notes: ports.memberNotes, recordAudit, clock }),
    /** A member's identities at Kakao, Apple and Google and passkeys, for the member page (no public keys). */
    memberSignIns: makeMemberSignIns({ identities: ports.linkedIdentities, passkeys: ports.passkeys }),
    /** A member's identity as staff see it (keys masked) and the audited reveal of its keys. */
    staffIdentity: makeStaffIdentity({ identities: ports.identities, accounts: ports.accounts, recordAudit }),
    /** The trail as staff read it, newest first: members by username, the member filter, the audited CSV export. */
    readAuditTrail: makeReadAuditTrail({ audit, accounts: ports.accounts, review: ports.review, recordAudit })
  }
}
