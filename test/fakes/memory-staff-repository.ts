import { DuplicateValueError } from '../../src/domain/errors.js'
import type { StaffMember } from '../../src/domain/staff.js'
import type { IdGenerator } from '../../src/application/ports/system/id-generator.js'
import type { StaffRepository } from '../../src/application/ports/records/staff-repository.js'

interface Row { staff: StaffMember, lastTotpStep: number | null }

/**
 * The in-process twin of the SQL staff table: unique email, oldest-first listing with the id as
 * tie-break, copies in and out. No method awaits before it writes, so each runs whole before
 * another starts: that is what makes useTotpStep atomic here, as the conditional UPDATE is in SQL.
 */
export function createMemoryStaffRepository (ids: IdGenerator): StaffRepository {
  const rows = new Map<string, Row>()
  const copy = (staff: StaffMember): StaffMember => ({ ...staff, createdAt: new Date(staff.createdAt) })
  const found = (id: string): Row | undefined => rows.get(id.toLowerCase())

  /** Applies a change to an existing member; false when there is none. */
  const change = (id: string, apply: (row: Row) => void): boolean => {
    const row = found(id)
    if (row === undefined) return false
    apply(row)
    return true
  }

  return {
    async create (input) {
      for (const row of rows.values()) if (row.staff.email === input.email) throw new DuplicateValueError('email')
      const staff: StaffMember = {
        ...input,
        id: ids.newId(),
        createdAt: new Date(input.createdAt),
        totpEnrolled: false,
        disabled: false,
        mustChangePassword: input.mustChangePassword ?? false
      }
      rows.set(staff.id, { staff, lastTotpStep: null })
      return copy(staff)
    },

    async findByEmail (email) {
      for (const row of rows.values()) if (row.staff.email === email) return copy(row.staff)
      return null
    },

    async findById (id) {
      const row = found(id)
      return row === undefined ? null : copy(row.staff)
    },

    async list () {
      return [...rows.values()].map((row) => row.staff)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(copy)
    },

    setDisabled: async (id, disabled) => change(id, (row) => { row.staff.disabled = disabled }),

    resetSecondFactor: async (id, newSecret) => change(id, (row) => {
      row.staff.totpSecret = newSecret
      row.staff.totpEnrolled = false
      row.lastTotpStep = null
    }),

    confirmEnrolment: async (id) => change(id, (row) => { row.staff.totpEnrolled = true }),

    async useTotpStep (id, step) {
      const row = found(id)
      if (row === undefined || (row.lastTotpStep !== null && step <= row.lastTotpStep)) return false
      row.lastTotpStep = step
      return true
    },

    setPassword: async (id, passwordHash, mustChange) => change(id, (row) => {
      row.staff.passwordHash = passwordHash
      row.staff.mustChangePassword = mustChange
    })
  }
}
