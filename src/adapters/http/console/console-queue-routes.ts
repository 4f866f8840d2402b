import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { MAX_BATCH, type BatchItem, type BatchSkip } from '../../../application/review/approve-many.js'
import { QUEUE_PAGE_SIZES, type QueuePageSize } from '../../../application/review/review-queue.js'
import type { AuditEntry } from '../../../application/ports/records/audit-log.js'
import { decisionVersion } from '../../../domain/review-decision.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import { USER_STATUSES } from '../../../domain/user.js'
import { mediaUrl } from '../routes/member-json.js'
import { literals } from '../schemas/literals.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import type { ConsoleOptions } from './console-routes.js'
import { FORM_LIMITS } from './console-schemas.js'
import { bulkConfirmPage, bulkResultPage } from './pages/bulk-approve-pages.js'
import { when, type Frame } from './pages/layout.js'
import { DEFAULT_QUEUE_PARAMS, queuePage, type QueueParams } from './pages/queue-pages.js'
import { QUEUE_TEXTS } from './pages/queue-texts.js'
import { messagePage } from './pages/sign-in-pages.js'

const STAFF_ONLY = { limit: { exempt: 'needs a signed-in staff session and its CSRF token' } }
const DAY = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
const CARRIER_MAX = 50

/** The queue's address, every filter optional: a shared link opens the same page. */
const QueueQuery = Type.Object({
  status: Type.Optional(Type.Union([...literals(USER_STATUSES), Type.Literal('all')])),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DAY })])),
  to: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DAY })])),
  dup: Type.Optional(Type.Union(literals(['', 'yes', 'no'] as const))),
  foreigner: Type.Optional(Type.Union(literals(['', 'yes', 'no'] as const))),
  identity: Type.Optional(Type.Union(literals(['', 'confirmed', 'unconfirmed'] as const))),
  carrier: Type.Optional(Type.String({ maxLength: CARRIER_MAX })),
  sort: Type.Optional(Type.Union(literals(['', 'oldest', 'newest', 'waiting', 'name'] as const))),
  size: Type.Optional(Type.Union(QUEUE_PAGE_SIZES.map(size => Type.Literal(String(size))))),
  page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' }))
})

// A member as the page showed them: `<short uuid>:<version>` (review-decision.ts's version).
const Pick = Type.String({ pattern: '^[2-9A-HJ-NP-Za-km-z]{22}:(pending|approved|rejected)\\.(none|[0-9]{1,15})$' })
const Picks = Type.Union([Pick, Type.Array(Pick, { maxItems: MAX_BATCH })])
const Back = Type.String({ maxLength: 2000 })
const BulkForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: FORM_LIMITS.csrf })),
  back: Type.Optional(Back),
  scope: Type.Optional(Type.Union(literals(['selected', 'page'] as const))),
  m: Type.Optional(Picks),
  page_m: Type.Optional(Picks)
})
const ConfirmForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: FORM_LIMITS.csrf })),
  back: Type.Optional(Back),
  m: Type.Optional(Picks)
})

/** Seoul has one offset all year: a day there starts at 15:00 UTC the day before. */
const SEOUL_OFFSET_MS = 9 * 3600_000

/** The instant a Seoul day starts; null when the text is not a real date (2026-02-30). */
function seoulDayStart (day: string): Date | null {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const utc = new Date(Date.UTC(year, month - 1, date))
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== date) return null
  return new Date(utc.getTime() - SEOUL_OFFSET_MS)
}

/** Only the queue's own address goes back into a link. */
const safeBack = (back: string | undefined): string =>
  back !== undefined && /^\/console\/queue(\?[^\s#]*)?$/.test(back) ? back : '/console/queue'

const picksOf = (value: string | string[] | undefined): BatchItem[] =>
  [value ?? []].flat().map(pick => {
    const at = pick.indexOf(':')
    return { ref: pick.slice(0, at), version: pick.slice(at + 1) }
  })

/** Which field of the request a validation error is about, as the URL or form names it. */
type Validation = Array<{ instancePath?: string, params?: Record<string, unknown> }>

function fieldOf (error: Error & { validation?: Validation }) {
  const first = error.validation?.[0]
  const path = first?.instancePath?.split('/')[1]
  if (path !== undefined && path !== '') return path
  const missing = first?.params?.missingProperty
  return typeof missing === 'string' ? missing : '?'
}

function actorOf (frame: Frame, entry: AuditEntry): string {
  switch (entry.actor.kind) {
    case 'staff': return entry.actor.email
    case 'api-key': return 'API'
    case 'member': return frame.t.members
    case 'system': return 'system'
  }
}

function whyText (frame: Frame, skip: BatchSkip): string {
  const q = QUEUE_TEXTS[frame.language]
  if (skip.reason === 'gone') return q.skippedGone
  if (skip.reason === 'invalid') return q.skippedInvalid
  const last = skip.last
  const action = last?.action === 'member.approved' || last?.action === 'member.reapproved'
    ? q.approvedAction
    : last?.action === 'member.rejected' ? q.rejectedAction : null
  if (last === null || action === null) return q.skippedChanged
  return q.skippedBy(action, actorOf(frame, last), when(frame, last.at))
}

/**
 * The queue (filters, orders, page numbers and sizes, counts, all in its URL) and approving many
 * members at once: the ticked members lead to a confirmation listing them, whose post approves
 * each through the audited review use-case with the version the queue page showed.
 */
export const consoleQueueRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (
  app,
  { useCases, mediaBaseUrl }
) => {
  const anyStaff = staffOnly(useCases.staffSignIn.visit, 'any')
  const approveMany = useCases.approveMany

  const badRequest = (request: FastifyRequest, reply: FastifyReply, message: string, back = '/console/queue') => {
    const { frame } = consoleContext(request)
    const q = QUEUE_TEXTS[frame.language]
    return sendPage(reply, 400, messagePage(frame, frame.t.queue, message, { href: back, label: q.backToQueue }))
  }

  app.get(
    '/console/queue',
    { preHandler: anyStaff, attachValidation: true, schema: { hide: true, querystring: QueueQuery } },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      const q = QUEUE_TEXTS[frame.language]
      if (request.validationError !== undefined) {
        return badRequest(request, reply, q.badQuery(fieldOf(request.validationError)))
      }
      const query = request.query
      const params: QueueParams = {
        ...DEFAULT_QUEUE_PARAMS,
        ...Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)),
        q: query.q?.trim() ?? '',
        carrier: query.carrier?.trim() ?? '',
        size: Number(query.size ?? DEFAULT_QUEUE_PARAMS.size),
        page: Number(query.page ?? 1)
      }
      const from = params.from === '' ? null : seoulDayStart(params.from)
      const to = params.to === '' ? null : seoulDayStart(params.to)
      if (from === null && params.from !== '') return badRequest(request, reply, q.badDate('from'))
      if (to === null && params.to !== '') return badRequest(request, reply, q.badDate('to'))
      if (from !== null && to !== null && from.getTime() > to.getTime()) return badRequest(request, reply, q.badRange)
      const yesNo = (value: QueueParams['dup']) => (value === '' ? null : value === 'yes')
      const found = await useCases.queueSearch({
        status: params.status === 'all' ? null : params.status,
        search: params.q === '' ? null : params.q,
        signedUpFrom: from,
        // The "until" day is included: the search stops where the next day starts.
        signedUpBefore: to === null ? null : new Date(to.getTime() + 24 * 3600_000),
        duplicate: yesNo(params.dup),
        foreigner: yesNo(params.foreigner),
        identity: params.identity === '' ? null : params.identity,
        carrier: params.carrier === '' ? null : params.carrier,
        order: params.sort === '' ? null : params.sort,
        page: params.page,
        pageSize: params.size as QueuePageSize
      })
      return sendPage(
        reply,
        200,
        queuePage(frame, {
          params,
          total: found.total,
          statuses: found.counts.statuses,
          carriers: found.counts.carriers,
          pageSizes: QUEUE_PAGE_SIZES,
          bulkLimit: MAX_BATCH,
          rows: found.entries.map(entry => ({
            uuid: toShortUuid(entry.id),
            username: entry.username,
            name: entry.name,
            contact: entry.mobile ?? entry.email,
            status: entry.status,
            createdAt: entry.createdAt,
            waitedMs: entry.waitedMs,
            duplicate: entry.duplicate,
            confirmed: entry.confirmed,
            foreigner: entry.foreigner,
            carrier: entry.carrier,
            thumbUrl: mediaUrl(mediaBaseUrl, entry.avatarKey),
            version: decisionVersion({ status: entry.status, decidedAt: entry.decidedAt })
          }))
        })
      )
    }
  )

  // The bulk forms' own refusals name the limit; anything else malformed is the generic 400.
  const refused = (request: FastifyRequest, reply: FastifyReply, back: string) => {
    const { frame } = consoleContext(request)
    const q = QUEUE_TEXTS[frame.language]
    const body = (request.body ?? {}) as Record<string, unknown>
    const tooMany = ['m', 'page_m'].some(key => Array.isArray(body[key]) && (body[key] as unknown[]).length > MAX_BATCH)
    return badRequest(request, reply, tooMany ? q.tooMany(MAX_BATCH) : frame.t.errors.invalid, back)
  }

  app.post(
    '/console/queue/approve',
    { config: STAFF_ONLY, preHandler: anyStaff, attachValidation: true, schema: { hide: true, body: BulkForm } },
    async (request, reply) => {
      const back = safeBack(typeof request.body?.back === 'string' ? request.body.back : undefined)
      if (request.validationError !== undefined) return refused(request, reply, back)
      const { frame } = consoleContext(request)
      const q = QUEUE_TEXTS[frame.language]
      const items = picksOf(request.body.scope === 'page' ? request.body.page_m : request.body.m)
      if (items.length === 0) return badRequest(request, reply, q.noneSelected, back)
      const { members } = await approveMany.preview(items)
      if (members.length === 0) return badRequest(request, reply, q.noneSelected, back)
      return sendPage(
        reply,
        200,
        bulkConfirmPage(frame, {
          back,
          members: members.map(member => ({
            uuid: member.ref,
            username: member.username ?? member.ref,
            name: member.name,
            version: member.version
          }))
        })
      )
    }
  )

  app.post(
    '/console/queue/approve/confirm',
    { config: STAFF_ONLY, preHandler: anyStaff, attachValidation: true, schema: { hide: true, body: ConfirmForm } },
    async (request, reply) => {
      const back = safeBack(typeof request.body?.back === 'string' ? request.body.back : undefined)
      if (request.validationError !== undefined) return refused(request, reply, back)
      const { frame, by } = consoleContext(request)
      const q = QUEUE_TEXTS[frame.language]
      const items = picksOf(request.body.m)
      if (items.length === 0) return badRequest(request, reply, q.noneSelected, back)
      const outcome = await approveMany.approve(by, items)
      return sendPage(
        reply,
        200,
        bulkResultPage(frame, {
          back,
          approved: outcome.approved.map(member => ({ uuid: member.ref, username: member.username ?? member.ref })),
          skipped: outcome.skipped.map(skip => ({
            uuid: skip.ref,
            username: skip.username ?? skip.ref,
            why: whyText(frame, skip)
          }))
        })
      )
    }
  )
}
