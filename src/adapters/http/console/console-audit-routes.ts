import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox'
import { AUDIT_EXPORT_LIMIT } from '../../../application/audit/read-audit-trail.js'
import { AUDIT_ACTIONS, type AuditFilter } from '../../../application/ports/records/audit-log.js'
import { literals } from '../schemas/literals.js'
import { auditCsv } from './audit-csv.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { auditPage, type AuditFilters } from './pages/audit-pages.js'
import { FILES_AUDIT_TEXTS } from './pages/files-audit-texts.js'
import type { Frame } from './pages/layout.js'

const AUDIT_PAGE = 50
const DAY = /^([0-9]{4}-[0-9]{2}-[0-9]{2})?$/
const DAY_MS = 24 * 60 * 60 * 1000

// The filters of the page and of the export, all in the URL so a filtered view can be shared.
const Filters = {
  from: Type.Optional(Type.String({ pattern: DAY.source })),
  to: Type.Optional(Type.String({ pattern: DAY.source })),
  action: Type.Optional(Type.Union([Type.Literal(''), ...literals(AUDIT_ACTIONS)])),
  staff: Type.Optional(Type.String({ pattern: '^([0-9a-f-]{36})?$' })),
  member: Type.Optional(Type.String({ maxLength: 64 }))
}
const PageQuery = Type.Object({
  ...Filters,
  before: Type.Optional(Type.String({ maxLength: 100, pattern: '^[0-9]{1,15}~[0-9a-f-]{36}$' }))
})
type FilterQuery = Static<Type.TObject<typeof Filters>>

/** A day as reviewers in Korea mean it: its start in KST, or null when it is no calendar day (2026-02-31). */
function kstDay (day: string): Date | null {
  const start = new Date(`${day}T00:00:00+09:00`)
  if (Number.isNaN(start.getTime())) return null
  const back = new Date(start.getTime() + 9 * 60 * 60 * 1000).toISOString().slice(0, 10)
  return back === day ? start : null
}

/**
 * The audit trail (admins): filters by a range of days (KST, both ends included), action, staff
 * member and member (username or uuid); the CSV export of the same filters, itself on the trail.
 * Reviewers neither see nor export it: the trail records their own work and every member's
 * identity file views, and who looked at what is for admins to check.
 */
export const consoleAuditRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, { useCases }) => {
  const trail = useCases.readAuditTrail
  const adminOnly = staffOnly(useCases.staffSignIn.visit, 'admin')

  /** The typed filters as the trail's filter; null when one names nothing that could match (no query then). */
  const readFilters = async (
    query: FilterQuery
  ): Promise<{ filters: AuditFilters, filter: Omit<AuditFilter, 'limit'> | null, valid: boolean }> => {
    const filters: AuditFilters = {
      from: query.from ?? '',
      to: query.to ?? '',
      action: query.action ?? '',
      staff: query.staff ?? '',
      member: query.member?.trim() ?? ''
    }
    const from = filters.from === '' ? undefined : kstDay(filters.from)
    const to = filters.to === '' ? undefined : kstDay(filters.to)
    if (from === null || to === null) return { filters, filter: null, valid: false }
    const filter: Omit<AuditFilter, 'limit'> = {}
    if (from !== undefined) filter.from = from
    if (to !== undefined) filter.to = new Date(to.getTime() + DAY_MS)
    if (filters.action !== '') filter.actions = [filters.action as (typeof AUDIT_ACTIONS)[number]]
    if (filters.staff !== '') filter.staffId = filters.staff
    if (filters.member !== '') {
      const memberId = await trail.memberIdOf(filters.member)
      if (memberId === null) return { filters, filter: null, valid: true }
      filter.memberId = memberId
    }
    return { filters, filter, valid: true }
  }

  const staffEmails = async () => {
    const staff = await useCases.staffAdmin.list()
    return { options: staff.map(({ id, email }) => ({ id, email })), emails: new Map(staff.map(s => [s.id, s.email])) }
  }

  const badFilter = (frame: Frame, filters: AuditFilters, options: Array<{ id: string, email: string }>) =>
    auditPage(
      frame,
      { filters, staffOptions: options, entries: [], names: {}, before: null, exportLimit: AUDIT_EXPORT_LIMIT },
      FILES_AUDIT_TEXTS[frame.language].badFilter
    )

  app.get(
    '/console/audit',
    { preHandler: adminOnly, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      const { before, ...query } = request.query
      const [{ filters, filter, valid }, staff] = await Promise.all([readFilters(query), staffEmails()])
      if (!valid) return sendPage(reply, 400, badFilter(frame, filters, staff.options))
      let cursor: AuditFilter['before']
      if (before !== undefined) {
        // The schema's pattern holds exactly one ~ between a time and an id.
        const cut = before.indexOf('~')
        cursor = { at: new Date(Number(before.slice(0, cut))), id: before.slice(cut + 1) }
      }
      const { entries, usernames } =
        filter === null
          ? { entries: [], usernames: new Map<string, string | null>() }
          : await trail.page({ ...filter, ...(cursor === undefined ? {} : { before: cursor }), limit: AUDIT_PAGE })
      const last = entries.at(-1)
      return sendPage(
        reply,
        200,
        auditPage(frame, {
          filters,
          staffOptions: staff.options,
          entries,
          names: { usernames, staffEmails: staff.emails },
          before: entries.length < AUDIT_PAGE || last === undefined ? null : `${last.at.getTime()}~${last.id}`,
          exportLimit: AUDIT_EXPORT_LIMIT
        })
      )
    }
  )

  app.get(
    '/console/audit.csv',
    { preHandler: adminOnly, schema: { hide: true, querystring: Type.Object(Filters) } },
    async (request, reply) => {
      const { frame, by } = consoleContext(request)
      const [{ filters, filter, valid }, staff] = await Promise.all([readFilters(request.query), staffEmails()])
      if (!valid) return sendPage(reply, 400, badFilter(frame, filters, staff.options))
      const described = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== ''))
      // A member filter naming no one still exports (an empty file), and is still recorded.
      const exported = await trail.export(by, filter ?? { actions: [] }, described)
      const name = `audit-${filters.from === '' ? 'start' : filters.from}-${filters.to === '' ? 'now' : filters.to}.csv`
      return reply
        .code(200)
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(auditCsv(frame, exported, staff.emails))
    }
  )
}
