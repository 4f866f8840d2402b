import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { toShortUuid } from '../../../domain/short-uuid.js'
import { mediaUrl } from '../routes/member-json.js'
import { literals } from '../schemas/literals.js'
import { consoleContext, sendPage, staffOnly } from './console-context.js'
import { decidingFor, decisionNotice, DECISIONS_DONE } from './console-deciding.js'
import type { ConsoleOptions } from './console-routes.js'
import { MemberParams } from './console-schemas.js'
import { consoleQueueRoutes } from './console-queue-routes.js'
import { memberPage } from './pages/review-pages.js'
import { verificationFileSrc } from './pages/file-viewer.js'

/** The queue and a member's page: every staff member (reviewers and admins); decisions: console-decision-routes.ts. */
export const consoleReviewRoutes: FastifyPluginAsyncTypebox<ConsoleOptions> = async (app, options) => {
  const { useCases, mediaBaseUrl } = options
  const review = useCases.memberReview
  const visitOf = useCases.staffSignIn.visit
  const anyStaff = staffOnly(visitOf, 'any')

  // The queue and its bulk approval live in their own file: they grew apart from the member page.
  await app.register(consoleQueueRoutes, options)

  app.get(
    '/console/members/:uuid',
    {
      preHandler: anyStaff,
      schema: {
        hide: true,
        params: MemberParams,
        querystring: Type.Object({
          done: Type.Optional(Type.Union(literals(DECISIONS_DONE)))
        })
      }
    },
    async (request, reply) => {
      const { frame, by, visit } = consoleContext(request)
      const { uuid } = request.params
      const { view, duplicates, history, mobileDisplay } = await review.member(by, uuid)
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
            mobile: mobileDisplay,
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
            deciding: await decidingFor(useCases, { visit, by, frame }, user, view.fileLinks.length, done)
          },
          decisionNotice(frame, done)
        )
      )
    }
  )
}
