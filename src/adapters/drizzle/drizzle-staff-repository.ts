import { and, asc, eq, isNull, lt, or } from 'drizzle-orm'
import { DuplicateValueError } from '../../domain/errors.js'
import type { StaffMember, StaffRole } from '../../domain/staff.js'
import type { IdGenerator } from '../../application/ports/system/id-generator.js'
import type { StaffRepository } from '../../application/ports/records/staff-repository.js'
import type { Database } from './database.js'
import { staff } from './schema.js'
import { guardWith, type GuardOptions } from './translate-database-error.js'

// Only a canonical uuid can name a row; anything else would fail the uuid cast (a failed query)
// where the port promises "no such staff member".
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const columns = {
  id: staff.id,
  email: staff.email,
  passwordHash: staff.passwordHash,
  role: staff.role,
  totpSecret: staff.totpSecret,
  totpEnrolled: staff.totpEnrolled,
  disabled: staff.disabled,
  mustChangePassword: staff.mustChangePassword,
  createdAt: staff.createdAt
}

/** Staff accounts on PostgreSQL or PGlite. */
export function createDrizzleStaffRepository (
  db: Database,
  ids: IdGenerator,
  options: GuardOptions = {}
): StaffRepository {
  const guarded = guardWith(options)

  /** Sets columns of one staff member; false when there is none. */
  const change = async (id: string, values: Partial<typeof staff.$inferInsert>): Promise<boolean> => {
    if (!CANONICAL_UUID.test(id)) return false
    return guarded(async () => {
      const updated = await db.update(staff).set(values).where(eq(staff.id, id)).returning({ id: staff.id })
      return updated.length > 0
    })
  }

  return {
    async create (input) {
      // ON CONFLICT on the email alone: a taken email inserts nothing, also when two creates race.
      const [row] = await guarded(async () =>
        db
          .insert(staff)
          .values({ ...input, id: ids.newId() })
          .onConflictDoNothing({ target: staff.email })
          .returning(columns)
      )
      // Thrown outside `guarded`, which would turn it into an anonymous database failure.
      if (row === undefined) throw new DuplicateValueError('email')
      return toStaffMember(row)
    },

    findByEmail: email =>
      guarded(async () => {
        const [row] = await db.select(columns).from(staff).where(eq(staff.email, email)).limit(1)
        return row === undefined ? null : toStaffMember(row)
      }),

    async findById (id) {
      if (!CANONICAL_UUID.test(id)) return null
      return guarded(async () => {
        const [row] = await db.select(columns).from(staff).where(eq(staff.id, id)).limit(1)
        return row === undefined ? null : toStaffMember(row)
      })
    },

    list: () =>
      guarded(async () => {
        const rows = await db.select(columns).from(staff).orderBy(asc(staff.createdAt), asc(staff.id))
        return rows.map(toStaffMember)
      }),

    setDisabled: (id, disabled) => change(id, { disabled }),
    resetSecondFactor: (id, newSecret) =>
      change(id, { totpSecret: newSecret, totpEnrolled: false, lastTotpStep: null }),
    confirmEnrolment: id => change(id, { totpEnrolled: true }),
    setPassword: (id, passwordHash, mustChange) => change(id, { passwordHash, mustChangePassword: mustChange }),

    async useTotpStep (id, step) {
      if (!CANONICAL_UUID.test(id)) return false
      // One conditional UPDATE: of two requests with the same code, the second waits for the
      // first's row lock, then finds the step taken and updates nothing. No read-then-write gap.
      return guarded(async () => {
        const updated = await db
          .update(staff)
          .set({ lastTotpStep: step })
          .where(and(eq(staff.id, id), or(isNull(staff.lastTotpStep), lt(staff.lastTotpStep, step))))
          .returning({ id: staff.id })
        return updated.length > 0
      })
    }
  }
}

function toStaffMember (row: Pick<typeof staff.$inferSelect, keyof typeof columns>): StaffMember {
  return { ...row, role: row.role as StaffRole }
}
