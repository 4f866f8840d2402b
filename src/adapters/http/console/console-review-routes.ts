import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DEFAULT_QUEUE_PAGE_SIZE } from '../../../application/review/review-members.js'
import { toShortUuid } from '../../../domain/short-uuid.js'
import { USER_STATUSES } from '../../../domain/user.js'
import { mediaUrl } from '../routes/member-json.js'
import { literals } from '../schemas/literals.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import { decidingFor } from './console-deciding.js'
import type { ConsoleOptions } from './console-routes.js'
import { FORM_LIMITS } from './console-schemas.js'
import { memberPage, queuePage } from './pages/review-pages.js'
import { verificationFileSrc } from './pages/file-viewer.js'

const Uuid = Type.Object({ uuid: Type.String({ maxLength: FORM_LIMITS.id }) })

/** The queue and a member's page: every staff member (reviewers and admins); decisions: console-decision-routes.ts. */
export const consoleReviewRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (
  app,
  { useCases, mediaBaseUrl }
) => {
  const review = useCases.memberReview
  const visitOf = useCases.staffSignIn.visit
  const anyStaff = staffOnly(visitOf, 'any')

  app.get(
    '/console/queue',
    {
      preHandler: anyStaff,
      schema: {
        hide: true,
        querystring: Type.Object({
          status: Type.Optional(Type.Union([...literals(USER_STATUSES), Type.Literal('all')])),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' }))
        })
      }
    },
    async (request, reply) => {
      const { frame } = consoleContext(request)
      const query = request.query
      const status = query.status === 'all' ? null : (query.status ?? 'pending')
      const search = query.q?.trim() ?? ''
      const page = Number(query.page ?? 1)
      const { users, total } = await review.queue({ status, search, page, pageSize: DEFAULT_QUEUE_PAGE_SIZE })
      const rows = users.map(user => ({
        uuid: toShortUuid(user.id),
        username: user.profile?.username ?? null,
        name: user.profile?.name ?? null,
        mobile: user.mobile,
        email: user.email,
        status: user.status,
        createdAt: user.createdAt
      }))
      return sendPage(
        reply,
        200,
        queuePage(frame, { status, search, page, pageSize: DEFAULT_QUEUE_PAGE_SIZE, total, rows })
      )
    }
  )

  const notices = { approved: 'done', rejected: 'done', purged: 'filesPurged' } as const
  app.get(
    '/console/members/:uuid',
    {
      preHandler: anyStaff,
      schema: {
        hide: true,
        params: Uuid,
        querystring: Type.Object({
          done: Type.Optional(Type.Union(literals(['approved', 'rejected', 'purged'] as const)))
        })
      }
    },
    async (request, reply) => {
      const { frame, by, visit } = consoleContext(request)
      const { uuid } = request.params
      const { view, duplicates, history } = await review.member(by, uuid)
      const { user } = view
      const profile = user.profile
      const { done } = request.query
      return sendPage(
        reply,
        200,
        memberPage(
          frame,
          {
            uuid: toShortUuid(user.id),
            status: user.status,
            email: user.email,
            mobile: user.mobile,
            createdAt: user.createdAt,
            decidedAt: user.decidedAt,
            rejectionReason: user.rejectionReason,
            profile:
              profile === null
                ? null
                : {
                    username: profile.username,
                    name: profile.name,
                    birth: profile.birth,
                    age: view.age,
                    gender: profile.gender,
                    carrier: profile.carrier,
                    foreigner: profile.foreigner,
                    interests: view.interests.map(item => `${item.emoji} ${item.name}`),
                    profession: view.profession === null ? null : `${view.profession.emoji} ${view.profession.name}`,
                    avatarUrl: mediaUrl(mediaBaseUrl, profile.avatarKey),
                    profileUrl: mediaUrl(mediaBaseUrl, profile.profileKey)
                  },
            // The console's own route, not the signed link: an image on the page works while the session lives.
            files: view.fileLinks.map(file => ({
              displayOrder: file.displayOrder,
              url: verificationFileSrc(toShortUuid(user.id), file.displayOrder)
            })),
            duplicates: duplicates.map(other => ({
              uuid: toShortUuid(other.id),
              username: other.username,
              status: other.status
            })),
            history,
            deciding: await decidingFor(useCases, visit, user, view.fileLinks.length)
          },
          done === undefined ? null : frame.t[notices[done]]
        )
      )
    }
  )
}
