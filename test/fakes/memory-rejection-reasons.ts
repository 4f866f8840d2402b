import type { RejectionReason, RejectionReasonCatalog } from '../../src/application/ports/records/rejection-reasons.js'

/** The preset rejection reasons in memory, in the order the database answers them. */
export function createMemoryRejectionReasons (): RejectionReasonCatalog {
  const reasons = new Map<string, RejectionReason>()
  return {
    async list () {
      return [...reasons.values()]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(reason => ({ ...reason }))
    },
    async find (id) {
      const reason = reasons.get(id)
      return reason === undefined ? null : { ...reason }
    },
    async add (reason) {
      if (reasons.has(reason.id)) throw new Error(`duplicate rejection reason ${reason.id}`)
      reasons.set(reason.id, { ...reason, retiredAt: null })
    },
    async change (id, { ko, en }) {
      const reason = reasons.get(id)
      if (reason === undefined) return false
      reasons.set(id, { ...reason, ko, en })
      return true
    },
    async retire (id, at) {
      const reason = reasons.get(id)
      if (reason === undefined) return false
      reasons.set(id, { ...reason, retiredAt: at })
      return true
    }
  }
}
