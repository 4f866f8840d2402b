import { createHash, timingSafeEqual } from 'node:crypto'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { UseCases } from '../../../application/make-use-cases.js'
import type { Decided, MemberWithFileLinks } from '../../../application/review/member-review-shared.js'
import type { Reviewer } from '../../../application/review/member-review.js'
import { MAX_PAGE_SIZE } from '../../../application/review/review-members.js'
import { NotFoundError } from '../../../domain/errors.js'
import { fromShortUuid } from '../../../domain/short-uuid.js'
import { USER_STATUSES } from '../../../domain/user.js'
import { bearerToken } from '../authentication.js'
import { sendError } from '../errors/error-reply.js'
import {
  AdminMemberJson,
  InterestJson,
  ProfessionJson,
  adminMemberJson,
  interestJson,
  professionJson
} from './member-json.js'
import { EXAMPLE_ADMIN_MEMBER, EXAMPLE_INTEREST, EXAMPLE_PROFESSION, withExample } from '../schemas/examples.js'
import { literals } from '../schemas/literals.js'
import { ADMIN_KEY } from '../schemas/openapi-document.js'
import { BODY_REFUSALS, errorResponses, invalidFields, type Refusal } from '../schemas/openapi-errors.js'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** `/admin/*`, for `Authorization: Bearer <ADMIN_API_KEY>`; registered only when a key is set. */
export const adminRoutes: FastifyPluginAsyncTypebox<{
  useCases: UseCases
  mediaBaseUrl: string
  adminApiKey: string
}> = async (app, { useCases, mediaBaseUrl, adminApiKey }) => {
  const expected = digest(adminApiKey)
  // Comparing digests keeps the comparison constant-time whatever the presented length.
  const isAdmin = (request: FastifyRequest) => timingSafeEqual(digest(bearerToken(request) ?? ''), expected)
  app.addHook('onRequest', async (request, reply) => {
    if (!isAdmin(request)) return sendError(request, reply, 'forbidden')
  })
  // One trail entry per call, refusals included: the key is shared, so the trail (with the
  // address) is what tells the calls apart. The route's pattern, never the URL, which could carry
  // anything. Written before the answer leaves (onSend, when the status is known). It is the
  // access record of the door; what a call does (a file view, a decision) has its own entries,
  // written by the review use-case before anything leaves, and those fail the call when the trail
  // is down. So a missing access record costs a warning, not the caller's answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const { uuid } = (request.params ?? {}) as { uuid?: unknown }
    try {
      await useCases.recordAudit({ kind: 'api-key' }, 'admin_api.call', {
        memberId: typeof uuid === 'string' ? fromShortUuid(uuid) : null,
        address: request.ip,
        detail: { method: request.method, route: request.routeOptions.url ?? null, status: reply.statusCode }
      })
    } catch (error) {
      request.log.warn(
        { event: 'audit.write_failed', action: 'admin_api.call', reason: (error as Error).constructor.name },
        'an admin API call is missing from the audit trail'
      )
    }
    return payload
  })
  const review = useCases.memberReview
  const keyHolder = (request: FastifyRequest): Reviewer => ({ actor: { kind: 'api-key' }, address: request.ip })
  // The admin API names members by their public short uuid only (the console takes either).
  const shortUuid = (uuid: string): string => {
    if (fromShortUuid(uuid) === null) throw new NotFoundError()
    return uuid
  }

  const tags = ['admin']
  const security = ADMIN_KEY
  const Uuid = Type.Object({ uuid: Type.String({ maxLength: 64 }) })
  const Member = withExample(AdminMemberJson, EXAMPLE_ADMIN_MEMBER)
  // Every admin route: a wrong key first (before anything is read), then the stores.
  const refusals = (...more: Refusal[]) => errorResponses('api', ...more, 'forbidden', 'service_unavailable')
  // The router refuses a malformed or over-long uuid before the route runs (parse_error).
  const one = (...more: Refusal[]) => ({
    200: Member,
    ...refusals(invalidFields({ uuid: ['too_long'] }), 'parse_error', 'not_found', ...more)
  })
  // The key (24 characters at least) is checked before anything is read; nothing an attacker can guess.
  const config = { limit: { exempt: 'needs the admin API key' } }
  const show = (view: Parameters<typeof adminMemberJson>[1]) => adminMemberJson(mediaBaseUrl, view)
  const decided = (request: FastifyRequest, { member, push }: Decided<MemberWithFileLinks>) => {
    // The decision stands whatever the push did; the log says how it went (never the tokens).
    if (push.devices > 0) request.log.info({ event: 'push.report', ...push }, 'member notified')
    return show(member)
  }

  app.get(
    '/admin/users',
    {
      schema: {
        tags,
        operationId: 'adminListUsers',
        security,
        summary: 'Members by status, newest first, paged',
        querystring: Type.Object({
          status: Type.Optional(Type.Union(literals(USER_STATUSES))),
          page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' })),
          page_size: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' }))
        }),
        response: {
          200: withExample(
            Type.Object({
              count: Type.Integer(),
              page: Type.Integer(),
              page_size: Type.Integer(),
              results: Type.Array(AdminMemberJson)
            }),
            { count: 1, page: 1, page_size: 20, results: [EXAMPLE_ADMIN_MEMBER] }
          ),
          ...refusals(invalidFields({ page: ['invalid'] }))
        }
      }
    },
    async request => {
      const page = Number(request.query.page ?? 1)
      const pageSize = Math.min(Number(request.query.page_size ?? 20), MAX_PAGE_SIZE)
      const { members, total } = await review.list(keyHolder(request), {
        status: request.query.status ?? null,
        page,
        pageSize
      })
      return { count: total, page, page_size: pageSize, results: members.map(show) }
    }
  )

  app.get(
    '/admin/users/:uuid',
    {
      schema: {
        tags,
        operationId: 'adminGetUser',
        security,
        summary: 'One member, whole record',
        params: Uuid,
        response: one()
      }
    },
    async request => show(await review.show(keyHolder(request), shortUuid(request.params.uuid)))
  )

  app.post(
    '/admin/users/:uuid/approve',
    {
      config,
      schema: {
        tags,
        operationId: 'adminApproveUser',
        security,
        summary: 'Approve a member',
        params: Uuid,
        response: one(...BODY_REFUSALS)
      }
    },
    async request => decided(request, await review.approveAndShow(keyHolder(request), shortUuid(request.params.uuid)))
  )

  app.post(
    '/admin/users/:uuid/reject',
    {
      config,
      schema: {
        tags,
        operationId: 'adminRejectUser',
        security,
        summary: 'Reject a member with a reason; ends their sessions',
        params: Uuid,
        body: withExample(Type.Object({ reason: Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]) }), {
          reason: '인증 서류가 확인되지 않습니다.'
        }),
        response: one(invalidFields({ reason: ['required', 'invalid'] }), ...BODY_REFUSALS)
      }
    },
    async request =>
      decided(
        request,
        await review.rejectAndShow(keyHolder(request), shortUuid(request.params.uuid), request.body.reason ?? '')
      )
  )

  const CatalogBody = withExample(
    Type.Object({
      name: Type.String({ maxLength: 50 }),
      emoji: Type.String({ maxLength: 16 }),
      image: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()]))
    }),
    { name: '골프', emoji: '⛳', image: 'images/interests/interest_P6kjacMDyoBQZXHVy3d6Q8.jpeg' }
  )
  // A name already in the catalog is refused on `name`; an interest's image key outside the
  // catalog's folder (parseCatalogImageKey) on `image`.
  const catalogRefusals = refusals(invalidFields({ name: ['name_taken'] }), ...BODY_REFUSALS)
  const interestRefusals = refusals(
    invalidFields({ name: ['name_taken'] }),
    invalidFields({ image: ['invalid_upload_key'] }),
    ...BODY_REFUSALS
  )
  app.post(
    '/admin/interests',
    {
      config,
      schema: {
        tags,
        operationId: 'adminAddInterest',
        security,
        summary: 'Add an interest',
        body: CatalogBody,
        response: { 201: withExample(InterestJson, EXAMPLE_INTEREST), ...interestRefusals }
      }
    },
    async (request, reply) => {
      const item = await useCases.addCatalogItem('interest', {
        name: request.body.name,
        emoji: request.body.emoji,
        imageKey: request.body.image ?? null
      })
      reply.code(201)
      return interestJson(mediaBaseUrl, item)
    }
  )

  app.post(
    '/admin/professions',
    {
      config,
      schema: {
        tags,
        operationId: 'adminAddProfession',
        security,
        summary: 'Add a profession',
        body: CatalogBody,
        response: { 201: withExample(ProfessionJson, EXAMPLE_PROFESSION), ...catalogRefusals }
      }
    },
    async (request, reply) => {
      const item = await useCases.addCatalogItem('profession', { name: request.body.name, emoji: request.body.emoji })
      reply.code(201)
      return professionJson(item)
    }
  )
}
